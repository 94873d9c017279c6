package io.lfvit.app.view;

import io.lfvit.schemas.avro.ImageEvent;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;

/**
 * A small PNG of an {@link ImageEvent}'s image for the live view. Images that do not decode give null:
 * the localizer dead-letters them with the reason, which the view shows.
 */
final class Thumbnails {
    /** Longest side of a thumbnail, in pixels. */
    static final int SIDE = 160;
    /** Decoding a big frame costs milliseconds: larger images are not thumbnailed at all. */
    static final long MAX_PIXELS = 40_000_000L;

    private Thumbnails() {}

    static byte[] png(ImageEvent e) {
        try {
            BufferedImage full = decode(e);
            if (full == null) {
                return null;
            }
            double scale = Math.min(1.0 * SIDE / Math.max(full.getWidth(), full.getHeight()), 4.0);
            int w = Math.max(1, (int) Math.round(full.getWidth() * scale));
            int h = Math.max(1, (int) Math.round(full.getHeight() * scale));
            BufferedImage small = new BufferedImage(w, h,
                    full.getType() == BufferedImage.TYPE_BYTE_GRAY ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            var g = small.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, scale > 1
                    ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(full, 0, 0, w, h, null);
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(small, "png", out);
            return out.toByteArray();
        } catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    private static BufferedImage decode(ImageEvent e) throws IOException {
        if ((long) e.getWidth() * e.getHeight() > MAX_PIXELS) {
            return null;
        }
        ByteBuffer buf = e.getImage().duplicate();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return switch (e.getEncoding()) {
            case RAW -> raw(e.getWidth(), e.getHeight(), e.getChannels(), bytes);
            default -> ImageIO.read(new ByteArrayInputStream(bytes)); // JPEG, PNG, and the formats of the ImageIO plugins
        };
    }

    private static BufferedImage raw(int w, int h, int c, byte[] b) {
        if (w <= 0 || h <= 0 || (c != 1 && c != 3) || (long) w * h * c != b.length) {
            return null;
        }
        if (c == 1) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, w, h, b);
            return img;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (b[3 * i] & 0xff) << 16 | (b[3 * i + 1] & 0xff) << 8 | (b[3 * i + 2] & 0xff);
        }
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return img;
    }
}
