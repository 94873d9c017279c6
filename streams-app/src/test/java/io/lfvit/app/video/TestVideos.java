package io.lfvit.app.video;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real MP4 files made with Debian's ffmpeg (libx264) for the tests: {@code frames} grey frames of
 * {@code width x height} at {@code fps}, each with a bright vertical bar whose x position encodes the
 * frame number (so order can be checked on the decoded pixels). {@code ./lfvit test} installs ffmpeg.
 */
final class TestVideos {
    private TestVideos() {}

    static final int WIDTH = 160;
    static final int HEIGHT = 96;
    static final int BAR = 6;

    /** Where frame {@code i}'s bar starts. */
    static int barX(int i) {
        return 4 + i * BAR;
    }

    static Path mp4(Path dir, int frames, int fps, String profile) throws IOException, InterruptedException {
        requireFfmpeg();
        for (int i = 0; i < frames; i++) {
            byte[] pixels = new byte[WIDTH * HEIGHT];
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = barX(i); x < barX(i) + BAR; x++) {
                    pixels[y * WIDTH + x] = (byte) 230;
                }
            }
            byte[] header = ("P5\n" + WIDTH + " " + HEIGHT + "\n255\n").getBytes(StandardCharsets.US_ASCII);
            byte[] file = new byte[header.length + pixels.length];
            System.arraycopy(header, 0, file, 0, header.length);
            System.arraycopy(pixels, 0, file, header.length, pixels.length);
            Files.write(dir.resolve(String.format("f%04d.pgm", i)), file);
        }
        Path out = dir.resolve("video-" + profile + ".mp4");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-y", "-loglevel", "error", "-framerate", String.valueOf(fps),
                "-i", dir.resolve("f%04d.pgm").toString(), "-c:v", "libx264", "-profile:v", profile, "-pix_fmt", "yuv420p",
                out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("ffmpeg failed: " + log);
        }
        return out;
    }

    static void requireFfmpeg() {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                return;
            }
        } catch (IOException | InterruptedException e) {
            // falls through to the message
        }
        fail("these tests make their videos with ffmpeg, which is not installed: apt-get install -y ffmpeg "
                + "(./lfvit test installs it when run as root)");
    }
}
