package io.lfvit.app.video;

import io.lfvit.app.produce.Canvases;
import io.lfvit.app.produce.Frame;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.api.awt.AWTSequenceEncoder;

/**
 * {@code lfvit demo --video synthetic}: a real MP4/H.264 file, encoded with JCodec from the cluttered
 * Fashion-MNIST test canvases, so the video path runs offline end to end (encode, decode, classify, tag).
 * The video shows one canvas per segment ({@code segmentSeconds}), sliding across the frame from left to
 * right, so the item moves; every frame's true class is known ({@link Made#labels()}), which lets the
 * demo report accuracy on it.
 */
public final class SyntheticVideo {
    private SyntheticVideo() {}

    /** The file, and the true class of each frame (by frame index). */
    public record Made(Path file, List<Integer> labels, int frames, int fps) {}

    /** Largest horizontal shift of a canvas, in pixels, either way. */
    static final int SLIDE = 16;

    public static Made write(Path file, Canvases canvases, int seconds, int fps, double segmentSeconds) throws IOException {
        int perSegment = Math.max(1, (int) Math.round(segmentSeconds * fps));
        int total = seconds * fps;
        List<Integer> labels = new ArrayList<>();
        AWTSequenceEncoder encoder = AWTSequenceEncoder.createSequenceEncoder(file.toFile(), fps);
        Frame canvas = null;
        BufferedImage frame = null;
        for (int i = 0; i < total; i++) {
            if (i % perSegment == 0) {
                if (!canvases.hasNext()) {
                    break;
                }
                canvas = canvases.next();
                frame = new BufferedImage(canvas.width(), canvas.height(), BufferedImage.TYPE_3BYTE_BGR);
            }
            double t = (i % perSegment) / (double) Math.max(1, perSegment - 1);
            int dx = (int) Math.round(-SLIDE + 2 * SLIDE * t);
            paint(frame, canvas, dx);
            encoder.encodeImage(frame);
            labels.add(canvas.label());
        }
        encoder.finish();
        return new Made(file, List.copyOf(labels), labels.size(), fps);
    }

    /** The canvas (RAW grey or RGB, row-major HWC) drawn {@code dx} pixels to the right on black. */
    private static void paint(BufferedImage out, Frame canvas, int dx) {
        Graphics2D g = out.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.dispose();
        int w = canvas.width();
        int c = canvas.channels();
        byte[] px = canvas.image();
        for (int y = 0; y < canvas.height(); y++) {
            for (int x = 0; x < w; x++) {
                int tx = x + dx;
                if (tx < 0 || tx >= out.getWidth()) {
                    continue;
                }
                int o = (y * w + x) * c;
                int r = px[o] & 0xff;
                int gr = c == 3 ? px[o + 1] & 0xff : r;
                int b = c == 3 ? px[o + 2] & 0xff : r;
                out.setRGB(tx, y, (r << 16) | (gr << 8) | b);
            }
        }
    }
}
