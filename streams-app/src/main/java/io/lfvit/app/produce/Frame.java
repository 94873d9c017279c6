package io.lfvit.app.produce;

import io.lfvit.schemas.avro.ImageEncoding;

/** One image to send: encoded bytes (JPEG, PNG, or RAW row-major HWC) and its size; label when known. */
public record Frame(byte[] image, ImageEncoding encoding, int width, int height, int channels, Integer label) {}
