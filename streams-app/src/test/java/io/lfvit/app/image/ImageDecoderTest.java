package io.lfvit.app.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.ImageEncoding;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The decoder's fast path for large frames (subsampled, luma-only JPEG) against a whole decode. */
class ImageDecoderTest {
    private static final int SIZE = 112;

    /** A 1920 x 1080 colour frame: smooth shading plus blocks of colour, as a camera might see a scene. */
    private static BufferedImage frame() {
        BufferedImage image = new BufferedImage(1920, 1080, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        for (int x = 0; x < 1920; x += 8) {
            g.setColor(new Color(x * 255 / 1920, 80, 255 - x * 255 / 1920));
            g.fillRect(x, 0, 8, 1080);
        }
        g.setColor(Color.WHITE);
        g.fillRect(300, 200, 600, 400);
        g.setColor(new Color(20, 160, 40));
        g.fillOval(1100, 500, 500, 400);
        g.dispose();
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out));
        return out.toByteArray();
    }

    /** What the model should see: the whole image decoded, BT.601 luma, area-averaged to SIZE x SIZE. */
    private static byte[] reference(byte[] encoded) throws Exception {
        BufferedImage whole = ImageIO.read(new java.io.ByteArrayInputStream(encoded));
        int w = whole.getWidth();
        int h = whole.getHeight();
        byte[] out = new byte[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double sum = 0;
                int n = 0;
                for (int yy = y * h / SIZE; yy < (y + 1) * h / SIZE; yy++) {
                    for (int xx = x * w / SIZE; xx < (x + 1) * w / SIZE; xx++) {
                        int rgb = whole.getRGB(xx, yy);
                        sum += 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
                        n++;
                    }
                }
                out[y * SIZE + x] = (byte) Math.round(sum / n);
            }
        }
        return out;
    }

    private static double meanAbsoluteDifference(byte[] a, byte[] b) {
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            total += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return total / a.length;
    }

    @Test
    void aLargeJpegDecodedForAGreyModelMatchesTheWholeDecodeWithinAFewLevels() throws Exception {
        byte[] jpeg = encode(frame(), "jpg");
        byte[] fast = new ImageDecoder(SIZE, 1, 1 << 24, 1L << 24).decode(ImageEncoding.JPEG, 1920, 1080, 3, ByteBuffer.wrap(jpeg));
        assertEquals(SIZE * SIZE, fast.length);
        double mad = meanAbsoluteDifference(fast, reference(jpeg));
        assertTrue(mad < 4.0, "mean absolute difference to the whole decode " + mad + " levels");
    }

    @Test
    void aColourPngForAGreyModelIsReadInColourAndConvertedToLuma() throws Exception {
        byte[] png = encode(frame(), "png");
        byte[] fast = new ImageDecoder(SIZE, 1, 1 << 24, 1L << 24).decode(ImageEncoding.PNG, 1920, 1080, 3, ByteBuffer.wrap(png));
        assertTrue(meanAbsoluteDifference(fast, reference(png)) < 4.0);
    }

    @Test
    void aColourModelGetsThreePlanesThatDiffer() throws Exception {
        byte[] jpeg = encode(frame(), "jpg");
        byte[] planes = new ImageDecoder(SIZE, 3, 1 << 24, 1L << 24).decode(ImageEncoding.JPEG, 1920, 1080, 3, ByteBuffer.wrap(jpeg));
        assertEquals(3 * SIZE * SIZE, planes.length);
        byte[] red = Arrays.copyOfRange(planes, 0, SIZE * SIZE);
        byte[] blue = Arrays.copyOfRange(planes, 2 * SIZE * SIZE, 3 * SIZE * SIZE);
        assertTrue(meanAbsoluteDifference(red, blue) > 20, "the shading runs from blue to red");
    }

    @Test
    void rawPixelsComeInInterleavedAndGoOutChannelMajorWithoutSharingTheCallersBuffer() throws Exception {
        byte[] grey = new byte[SIZE * SIZE];
        byte[] rgb = new byte[3 * SIZE * SIZE];
        for (int i = 0; i < SIZE * SIZE; i++) {
            grey[i] = (byte) i;
            rgb[3 * i] = (byte) i;
            rgb[3 * i + 1] = (byte) (i + 1);
            rgb[3 * i + 2] = (byte) (i + 2);
        }
        ByteBuffer greyBuffer = ByteBuffer.wrap(grey);
        byte[] greyOut = new ImageDecoder(SIZE, 1, 1 << 24, 1L << 24).decode(ImageEncoding.RAW, SIZE, SIZE, 1, greyBuffer);
        assertTrue(Arrays.equals(grey, greyOut));
        greyOut[0] = 42;
        assertEquals(0, grey[0], "the decoder's pixels are its own");
        byte[] planes = new ImageDecoder(SIZE, 3, 1 << 24, 1L << 24).decode(ImageEncoding.RAW, SIZE, SIZE, 3, ByteBuffer.wrap(rgb));
        int hw = SIZE * SIZE;
        for (int i : new int[] {0, 1, 777, hw - 1}) {
            assertEquals((byte) i, planes[i]);
            assertEquals((byte) (i + 1), planes[hw + i]);
            assertEquals((byte) (i + 2), planes[2 * hw + i]);
        }
    }

    @Test
    void aTruncatedHeaderIsUndecodable() throws Exception {
        byte[] jpeg = Arrays.copyOf(encode(frame(), "jpg"), 40);
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> new ImageDecoder(SIZE, 1, 1 << 24, 1L << 24)
                .decode(ImageEncoding.JPEG, 1920, 1080, 3, ByteBuffer.wrap(jpeg)));
        assertEquals(DeadLetterReason.UNDECODABLE_IMAGE, e.reason());
    }
}
