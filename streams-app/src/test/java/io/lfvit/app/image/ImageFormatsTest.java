package io.lfvit.app.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.ImageEncoding;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real files from real encoders (src/test/resources/images, made by make-fixtures.sh there with
 * ImageMagick, cwebp/img2webp and exiftool): EXIF orientation, WebP/TIFF/BMP, animations, partial images.
 */
class ImageFormatsTest {
    private static final int MAX_BYTES = 1 << 24;
    private static final long MAX_PIXELS = 1L << 24;

    static byte[] fixture(String name) {
        return io.lfvit.app.support.ImageFixtures.bytes(name);
    }

    private static ImageDecoder decoder(int size, int channels, PartialImages partial) {
        return new ImageDecoder(size, channels, MAX_BYTES, MAX_PIXELS, partial);
    }

    private static DecodedImage decode(ImageDecoder decoder, ImageEncoding encoding, byte[] bytes) throws ImageRejectedException {
        return decoder.decodeImage(encoding, 0, 0, 3, ByteBuffer.wrap(bytes));
    }

    private static double mad(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            total += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return total / a.length;
    }

    /** The stored pixels of a JPEG, EXIF ignored, as a PNG. */
    private static byte[] asStored(byte[] jpeg) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(ImageIO.read(new ByteArrayInputStream(jpeg)), "png", out));
        return out.toByteArray();
    }

    /**
     * Each orientation's file stores the picture turned and mirrored the other way, with the tag that
     * undoes it: decoded, every one must show `upright`. Model side 16 makes the decoder subsample
     * (step 2) and, for a grey model, read the luma only: the orientation is applied after that fast read.
     */
    @ParameterizedTest(name = "orientation {0}, model side {1}, {2} channel(s)")
    @CsvSource({"1,16,1", "2,16,1", "3,16,1", "4,16,1", "5,16,1", "6,16,1", "7,16,1", "8,16,1",
            "1,48,3", "2,48,3", "3,48,3", "4,48,3", "5,48,3", "6,48,3", "7,48,3", "8,48,3"})
    void everyExifOrientationIsShownUpright(int orientation, int size, int channels) throws Exception {
        ImageDecoder decoder = decoder(size, channels, PartialImages.DEAD_LETTER);
        byte[] jpeg = fixture("orientation-" + orientation + ".jpg");
        assertEquals(orientation, ExifOrientation.of(jpeg));
        byte[] upright = decode(decoder, ImageEncoding.PNG, fixture("upright.png")).pixels();
        DecodedImage decoded = decode(decoder, ImageEncoding.JPEG, jpeg);
        assertNull(decoded.partialReason(), "a whole JPEG with EXIF is not partial");
        double shown = mad(decoded.pixels(), upright);
        assertTrue(shown < 6, "orientation " + orientation + ": " + shown + " levels from upright");
        if (orientation != 1) { // the fixture means something: as stored it is far from upright
            double stored = mad(decode(decoder, ImageEncoding.PNG, asStored(jpeg)).pixels(), upright);
            assertTrue(stored > 25, "orientation " + orientation + " as stored is only " + stored + " levels from upright");
        }
    }

    @ParameterizedTest
    @CsvSource({"photo-lossy.webp,WEBP,4", "photo-lossless.webp,WEBP,1", "photo.tiff,TIFF,2", "photo.bmp,BMP,4",
            "photo.jpg,JPEG,4", "photo-progressive.jpg,JPEG,4"})
    void otherFormatsDecodeToThePicture(String file, ImageEncoding encoding, double maxLevels) throws Exception {
        for (int channels : new int[] {1, 3}) {
            ImageDecoder decoder = decoder(56, channels, PartialImages.DEAD_LETTER);
            byte[] reference = decode(decoder, ImageEncoding.PNG, fixture("photo.png")).pixels();
            DecodedImage decoded = decode(decoder, encoding, fixture(file));
            assertNull(decoded.partialReason(), file + " is whole");
            double d = mad(decoded.pixels(), reference);
            assertTrue(d < maxLevels, file + " (" + channels + " channel(s)) is " + d + " levels from the PNG");
        }
    }

    @Test
    void aWebpLabelledJpegIsStillReadByItsBytes() throws Exception {
        ImageDecoder decoder = decoder(56, 1, PartialImages.DEAD_LETTER);
        byte[] reference = decode(decoder, ImageEncoding.PNG, fixture("photo.png")).pixels();
        assertTrue(mad(decode(decoder, ImageEncoding.JPEG, fixture("photo-lossless.webp")).pixels(), reference) < 1);
    }

    /** Frame 1 is white on the left half, frame 2 on the right half: the first frame is classified. */
    @ParameterizedTest
    @CsvSource({"animated.gif,GIF", "animated.webp,WEBP"})
    void anAnimationIsReadAtItsFirstFrame(String file, ImageEncoding encoding) throws Exception {
        int size = 32;
        byte[] pixels = decode(decoder(size, 1, PartialImages.DEAD_LETTER), encoding, fixture(file)).pixels();
        double left = 0, right = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size / 2; x++) {
                left += pixels[y * size + x] & 0xff;
                right += pixels[y * size + size / 2 + x] & 0xff;
            }
        }
        int n = size * size / 2;
        assertTrue(left / n > 200 && right / n < 50, file + ": left " + left / n + ", right " + right / n);
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated.jpg", "truncated-progressive.jpg", "corrupt-scan.jpg"})
    void aJpegThatDecodesOnlyInPartIsDeadLetteredByDefault(String file) throws Exception {
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> decode(decoder(32, 1, PartialImages.DEAD_LETTER), ImageEncoding.JPEG, fixture(file)));
        assertEquals(DeadLetterReason.PARTIAL_IMAGE, e.reason());
        assertTrue(e.getMessage().contains("decoded only in part"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated.jpg", "truncated-progressive.jpg", "corrupt-scan.jpg"})
    void underDegradedAPartialJpegIsDecodedAndCarriesTheWarning(String file) throws Exception {
        for (int channels : new int[] {1, 3}) {
            DecodedImage decoded = decode(decoder(32, channels, PartialImages.DEGRADED), ImageEncoding.JPEG, fixture(file));
            assertTrue(decoded.partial(), file);
            assertTrue(decoded.partialReason().startsWith("the JPEG image decoded only in part (the decoder warned: "),
                    decoded.partialReason());
            assertEquals(channels * 32 * 32, decoded.pixels().length);
        }
    }

    /** A PNG or WebP cut short: the readers throw rather than warn, so it is refused either way, never answered whole. */
    @ParameterizedTest
    @CsvSource({"truncated.png,PNG", "truncated.webp,WEBP"})
    void otherFormatsCutShortAreNeverAnsweredAsWhole(String file, ImageEncoding encoding) throws Exception {
        for (PartialImages policy : PartialImages.values()) {
            try {
                DecodedImage decoded = decode(decoder(32, 1, policy), encoding, fixture(file));
                assertTrue(decoded.partial(), file + " under " + policy + " was answered as a whole image");
            } catch (ImageRejectedException e) {
                assertTrue(e.reason() == DeadLetterReason.UNDECODABLE_IMAGE || e.reason() == DeadLetterReason.PARTIAL_IMAGE,
                        e.reason() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void theSettingReadsBothValuesAndRefusesOthers() {
        assertEquals(PartialImages.DEAD_LETTER, PartialImages.of("dead-letter"));
        assertEquals(PartialImages.DEGRADED, PartialImages.of("degraded"));
        try {
            PartialImages.of("ignore");
            fail("accepted ignore");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("image.partial"));
        }
    }
}
