package io.lfvit.app.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.avro.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding real MP4/H.264 files made by ffmpeg: frame count, order, timestamps, sampling; bad files fail clearly. */
class VideoFramesTest {
    @TempDir
    Path tmp;

    private static List<VideoFrame> all(Path file, double fps) {
        List<VideoFrame> out = new ArrayList<>();
        try (VideoFrames frames = new VideoFrames(file, fps)) {
            frames.forEachRemaining(out::add);
        }
        return out;
    }

    /** The x where the decoded frame's bright bar starts (the column with the brightest mean). */
    private static int barStart(VideoFrame f) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.frame().image()));
        double[] column = new double[img.getWidth()];
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                column[x] += img.getRGB(x, y) & 0xff;
            }
        }
        double max = Arrays.stream(column).max().orElseThrow();
        for (int x = 0; x < column.length; x++) {
            if (column[x] > max * 0.6) {
                return x;
            }
        }
        throw new AssertionError("no bar");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "high", "baseline"})
    void everyFrameInOrderWithTheVideosTimestamps(String profile) throws Exception {
        Path video = TestVideos.mp4(tmp, 20, 10, profile);
        List<VideoFrame> frames = all(video, 0);
        assertEquals(20, frames.size(), profile + ": frame count");
        for (int i = 0; i < frames.size(); i++) {
            VideoFrame f = frames.get(i);
            assertEquals(i, f.index(), "index");
            assertEquals(i * 0.1, f.ptsSeconds(), 0.002, profile + ": timestamp of frame " + i);
            assertEquals(ImageEncoding.JPEG, f.frame().encoding());
            assertEquals(TestVideos.WIDTH, f.frame().width());
            assertEquals(TestVideos.HEIGHT, f.frame().height());
            assertEquals(TestVideos.barX(i), barStart(f), 2, profile + ": frame " + i + " is not the " + i + "th picture");
        }
    }

    @Test
    void fpsSamplesByVideoTime() throws Exception {
        Path video = TestVideos.mp4(tmp, 20, 10, "main");
        List<VideoFrame> frames = all(video, 2.5); // every 0.4 s of a 10 fps video: frames 0, 4, 8, 12, 16
        assertEquals(List.of(0L, 4L, 8L, 12L, 16L), frames.stream().map(VideoFrame::index).toList());
        assertEquals(1.6, frames.get(4).ptsSeconds(), 0.002);
    }

    @Test
    void notAVideoFailsWithTheFileAndReasonNotAHang() throws Exception {
        Path junk = tmp.resolve("junk.mp4");
        byte[] bytes = new byte[200_000];
        new Random(7).nextBytes(bytes);
        Files.write(junk, bytes);
        VideoDecodeException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(VideoDecodeException.class, () -> all(junk, 0)));
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
    }

    @Test
    void aTruncatedVideoFailsClearly() throws Exception {
        Path video = TestVideos.mp4(tmp, 20, 10, "main");
        byte[] bytes = Files.readAllBytes(video);
        Path cut = tmp.resolve("cut.mp4");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        VideoDecodeException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(VideoDecodeException.class, () -> all(cut, 0)));
        assertTrue(e.getMessage().contains("cut.mp4"), e.getMessage());
    }

    @Test
    void aCorruptStreamEndsInAnErrorOrInFramesNeverInAHang() throws Exception {
        Path video = TestVideos.mp4(tmp, 20, 10, "main");
        byte[] bytes = Files.readAllBytes(video);
        Random random = new Random(11);
        int mdat = indexOf(bytes, "mdat".getBytes()) + 64;
        for (int i = mdat; i < Math.min(bytes.length, mdat + bytes.length / 3); i++) {
            bytes[i] = (byte) random.nextInt();
        }
        Path corrupt = tmp.resolve("corrupt.mp4");
        Files.write(corrupt, bytes);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try {
                all(corrupt, 0);
            } catch (VideoDecodeException expected) {
                assertTrue(expected.getMessage().contains("corrupt.mp4"), expected.getMessage());
            }
        });
    }

    @Test
    void aMissingFileIsNamed() {
        VideoDecodeException e = assertThrows(VideoDecodeException.class, () -> all(tmp.resolve("nope.mp4"), 0));
        assertTrue(e.getMessage().contains("nope.mp4"));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no mdat box");
    }
}
