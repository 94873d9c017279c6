package io.lfvit.app.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Encodes frames as JPEG with ImageIO's writer (video frames, the bench's frames, the start-up rehearsal's). */
public final class JpegEncoder {
    private JpegEncoder() {}

    /** {@code image} as a colour JPEG; images of other types are drawn into a 3-byte BGR copy first. */
    public static byte[] encode(BufferedImage image) {
        BufferedImage rgb = image;
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR && image.getType() != BufferedImage.TYPE_INT_RGB) {
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            rgb.getGraphics().drawImage(image, 0, 0, null);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
            if (!ImageIO.write(rgb, "jpg", out)) {
                throw new IllegalStateException("no JPEG writer in this JVM");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
