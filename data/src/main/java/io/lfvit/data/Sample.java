package io.lfvit.data;

/**
 * One image as raw 8-bit pixels, channel-major [C,H,W], with its class.
 *
 * @param pixels unsigned bytes, C*H*W of them
 * @param label class index
 */
public record Sample(byte[] pixels, int label) {}
