package io.lfvit.app.video;

import io.lfvit.app.produce.Frame;

/**
 * One decoded frame of a video: the image (JPEG), its index among the video's frames in presentation
 * order, and its presentation time in seconds from the start of the video (the container's timestamps).
 */
public record VideoFrame(Frame frame, long index, double ptsSeconds) {}
