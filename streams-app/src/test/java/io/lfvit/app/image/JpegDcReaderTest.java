package io.lfvit.app.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.ImageEncoding;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 1/8-scale luma from DC coefficients against libjpeg-turbo's own 1/8 decode ({@code djpeg -scale 1/8
 * -grayscale}, fixtures and references made by images/dc/make-fixtures.sh), its warnings on damaged data,
 * and the decoder's use of it for large JPEGs.
 */
class JpegDcReaderTest {

    private static byte[] dc(String name) {
        return ImageFormatsTest.fixture("dc/" + name);
    }

    /** A binary PGM (P5, maxval 255): width, height, pixels. */
    private record Pgm(int width, int height, byte[] pixels) {
        static Pgm parse(byte[] file) {
            String[] fields = new String[4];
            int pos = 0;
            for (int f = 0; f < 4; f++) {
                while (Character.isWhitespace(file[pos])) {
                    pos++;
                }
                int start = pos;
                while (!Character.isWhitespace(file[pos])) {
                    pos++;
                }
                fields[f] = new String(file, start, pos - start, StandardCharsets.US_ASCII);
            }
            pos++; // the one whitespace byte before the pixels
            assertEquals("P5", fields[0]);
            int w = Integer.parseInt(fields[1]);
            int h = Integer.parseInt(fields[2]);
            return new Pgm(w, h, Arrays.copyOfRange(file, pos, pos + w * h));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c420", "c444", "c422-restart", "c420-restart-rows", "grey", "c420-three-scans"})
    void theBlockMeansAreLibjpegsOneEighthScaleDecodeExactly(String name) throws Exception {
        JpegDcReader.Result dc = JpegDcReader.read(dc(name + ".jpg"));
        Pgm reference = Pgm.parse(dc(name + ".pgm"));
        assertNotNull(dc, name + " is a coding the reader reads");
        assertEquals(java.util.List.of(), dc.warnings(), name + " is whole");
        assertEquals(reference.width(), dc.width(), name);
        assertEquals(reference.height(), dc.height(), name);
        assertArrayEquals(reference.pixels(), dc.luma(), name + ": every block mean as djpeg gives it");
        JpegDcReader.Header header = JpegDcReader.header(dc(name + ".jpg"));
        assertEquals(name.equals("grey") || name.contains("restart") ? 317 : 320, header.width());
    }

    @Test
    void aProgressiveJpegIsLeftToImageIo() throws Exception {
        assertNull(JpegDcReader.header(dc("progressive.jpg")));
        assertNull(JpegDcReader.read(dc("progressive.jpg")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dc/truncated-restart.jpg", "dc/corrupt-restart.jpg", "truncated.jpg", "corrupt-scan.jpg"})
    void dataCutShortOrCorruptGivesWarningsAsLibjpegDoes(String file) throws Exception {
        JpegDcReader.Result dc = JpegDcReader.read(ImageFormatsTest.fixture(file));
        assertNotNull(dc);
        assertFalse(dc.warnings().isEmpty(), file + " read as whole");
    }

    @ParameterizedTest
    @ValueSource(strings = {"photo.jpg", "orientation-1.jpg", "orientation-6.jpg"})
    void otherEncodersJpegsReadWholeAndCloseToTheirFullDecodesBlockMeans(String file) throws Exception {
        byte[] bytes = ImageFormatsTest.fixture(file);
        JpegDcReader.Result dc = JpegDcReader.read(bytes);
        assertEquals(java.util.List.of(), dc.warnings(), file);
        BufferedImage full = ImageIO.read(new ByteArrayInputStream(bytes));
        double error = 0;
        for (int by = 0; by < dc.height(); by++) {
            for (int bx = 0; bx < dc.width(); bx++) {
                error += Math.abs(blockMean(full, bx, by) - (dc.luma()[by * dc.width() + bx] & 0xff));
            }
        }
        error /= dc.width() * dc.height();
        assertTrue(error < 2.0, file + ": mean |block mean - DC| " + error);
    }

    /**
     * The mean BT.601 luma of the full decode over block (bx, by), clipped to the image; a grey JPEG's own
     * samples (getRGB would pass them through a linear-grey colour space).
     */
    private static double blockMean(BufferedImage image, int bx, int by) {
        double sum = 0;
        int n = 0;
        for (int y = by * 8; y < Math.min(image.getHeight(), by * 8 + 8); y++) {
            for (int x = bx * 8; x < Math.min(image.getWidth(), bx * 8 + 8); x++) {
                if (image.getRaster().getNumBands() == 1) {
                    sum += image.getRaster().getSample(x, y, 0);
                } else {
                    int rgb = image.getRGB(x, y);
                    sum += 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
                }
                n++;
            }
        }
        return sum / n;
    }

    private static byte[] cameraFrame() throws Exception {
        BufferedImage frame = new BufferedImage(1920, 1080, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, Color.DARK_GRAY, 1920, 1080, Color.ORANGE));
        g.fillRect(0, 0, 1920, 1080);
        g.setColor(Color.WHITE);
        g.fillOval(300, 200, 700, 600);
        g.setColor(Color.BLACK);
        g.fillRect(1200, 100, 400, 900);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(frame, "jpg", out);
        return out.toByteArray();
    }

    @Test
    void aLargeJpegForAGreyModelIsReadFromItsBlockMeansAndMatchesTheFullDecode() throws Exception {
        byte[] frame = cameraFrame();
        ImageDecoder decoder = new ImageDecoder(112, 1, 1 << 24, 1L << 24);
        byte[] fast = decoder.decode(ImageEncoding.JPEG, 0, 0, 3, ByteBuffer.wrap(frame));
        JpegDcReader.Result dc = JpegDcReader.read(frame);
        assertEquals(240, dc.width());
        assertEquals(135, dc.height());
        assertArrayEquals(new ImageDecoder.Planar(dc.luma(), 1, 135, 240).toModelInput(112, 1), fast,
                "the decoder took the block means");
        // the reference: the whole frame decoded by ImageIO, to luma, area-averaged to 112 x 112
        BufferedImage full = ImageIO.read(new ByteArrayInputStream(frame));
        double error = 0;
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                double x0 = x * 1920 / 112.0, x1 = (x + 1) * 1920 / 112.0, y0 = y * 1080 / 112.0, y1 = (y + 1) * 1080 / 112.0;
                double sum = 0;
                int n = 0;
                for (int yy = (int) y0; yy < (int) Math.ceil(y1); yy += 2) {
                    for (int xx = (int) x0; xx < (int) Math.ceil(x1); xx += 2) {
                        int rgb = full.getRGB(xx, yy);
                        sum += 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
                        n++;
                    }
                }
                error += Math.abs(sum / n - (fast[y * 112 + x] & 0xff));
            }
        }
        error /= 112 * 112;
        assertTrue(error < 3.0, "mean |reference - decoded| " + error);
    }

    @Test
    void aLargeJpegCutShortIsStillAPartialImage() throws Exception {
        byte[] frame = cameraFrame();
        byte[] cut = Arrays.copyOf(frame, frame.length * 55 / 100);
        ImageDecoder decoder = new ImageDecoder(112, 1, 1 << 24, 1L << 24);
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> decoder.decode(ImageEncoding.JPEG, 0, 0, 3, ByteBuffer.wrap(cut)));
        assertEquals(DeadLetterReason.PARTIAL_IMAGE, e.reason());
        DecodedImage degraded = new ImageDecoder(112, 1, 1 << 24, 1L << 24, PartialImages.DEGRADED)
                .decodeImage(ImageEncoding.JPEG, 0, 0, 3, ByteBuffer.wrap(cut));
        assertTrue(degraded.partial(), "answered as degraded");
    }

    @Test
    void damagedBytesAnywhereGiveAnAnswerOrADeadLetterNeverAnotherException() throws Exception {
        byte[] frame = cameraFrame();
        ImageDecoder decoder = new ImageDecoder(112, 1, 1 << 24, 1L << 24);
        java.util.Random random = new java.util.Random(11);
        int rejected = 0;
        for (int trial = 0; trial < 60; trial++) {
            byte[] damaged = frame.clone();
            int at = trial < 20 ? random.nextInt(Math.min(damaged.length, 700)) : random.nextInt(damaged.length); // headers too
            for (int i = 0; i < 1 + random.nextInt(8) && at + i < damaged.length; i++) {
                damaged[at + i] = (byte) random.nextInt(256);
            }
            try {
                decoder.decodeImage(io.lfvit.schemas.avro.ImageEncoding.JPEG, 0, 0, 3, ByteBuffer.wrap(damaged));
            } catch (ImageRejectedException e) {
                rejected++;
            }
        }
        assertTrue(rejected > 0, "some damage is noticed");
    }
}
