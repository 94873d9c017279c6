package io.lfvit.app.image;

/**
 * The model input [C, S, S] uint8 of one image, and why it is only partly the image when it is
 * ({@code partialReason}, null for a whole image; set only under {@code image.partial=degraded}).
 */
public record DecodedImage(byte[] pixels, String partialReason) {
    public boolean partial() {
        return partialReason != null;
    }
}
