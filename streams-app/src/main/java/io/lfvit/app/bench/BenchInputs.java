package io.lfvit.app.bench;

import io.lfvit.app.image.ImageDecoder;
import io.lfvit.app.image.ImageRejectedException;
import io.lfvit.app.produce.Canvases;
import io.lfvit.app.produce.Frame;
import io.lfvit.model.ModelConfig;
import io.lfvit.schemas.avro.ImageEncoding;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's inputs, made once so that every row sees the same images: the first N cluttered
 * Fashion-MNIST test canvases as the pipeline receives them (RAW 112 x 112 grey, labelled), and the same
 * canvases scaled up to 1920 x 1080 colour JPEG frames (a camera's frame size), encoded once on demand.
 */
final class BenchInputs {
    static final int FRAME_WIDTH = 1920;
    static final int FRAME_HEIGHT = 1080;

    private final List<Frame> canvases;
    private List<Frame> frames;

    private BenchInputs(List<Frame> canvases) {
        this.canvases = canvases;
    }

    static BenchInputs load(Path dataDir, int count) throws IOException {
        Canvases source = Canvases.load(dataDir, count);
        List<Frame> frames = new ArrayList<>(count);
        source.forEachRemaining(frames::add);
        return new BenchInputs(List.copyOf(frames));
    }

    int size() {
        return canvases.size();
    }

    List<Frame> canvases() {
        return canvases;
    }

    /** The canvases as the model takes them ([C, S, S] uint8), decoded as the localizer decodes them. */
    List<byte[]> modelInputs(ModelConfig config) {
        ImageDecoder decoder = new ImageDecoder(config.imageSize(), config.channels(), Integer.MAX_VALUE, Long.MAX_VALUE);
        List<byte[]> out = new ArrayList<>(canvases.size());
        for (Frame f : canvases) {
            try {
                out.add(decoder.decode(f.encoding(), f.width(), f.height(), f.channels(), ByteBuffer.wrap(f.image())));
            } catch (ImageRejectedException e) {
                throw new IllegalStateException("a test canvas does not decode: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The canvases stretched to 1920 x 1080 RGB and JPEG-encoded (ImageIO's default quality), made once. */
    List<Frame> jpegFrames(PrintStream progress) {
        if (frames == null) {
            long t0 = System.nanoTime();
            progress.printf("  encoding %d %d x %d JPEG frames on %d cores...%n", canvases.size(), FRAME_WIDTH, FRAME_HEIGHT,
                    Runtime.getRuntime().availableProcessors());
            List<Frame> out = canvases.parallelStream()
                    .map(c -> new Frame(jpeg(c), ImageEncoding.JPEG, FRAME_WIDTH, FRAME_HEIGHT, 3, c.label())).toList();
            long bytes = out.stream().mapToLong(f -> f.image().length).sum();
            progress.printf("  %d frames, %.0f KB each on average, encoded in %.1f s%n", out.size(),
                    bytes / 1024.0 / out.size(), (System.nanoTime() - t0) / 1e9);
            frames = List.copyOf(out);
        }
        return frames;
    }

    private static byte[] jpeg(Frame canvas) {
        if (canvas.encoding() != ImageEncoding.RAW || canvas.channels() != 1) {
            throw new IllegalArgumentException("test canvases are RAW grey");
        }
        BufferedImage grey = new BufferedImage(canvas.width(), canvas.height(), BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setDataElements(0, 0, canvas.width(), canvas.height(), canvas.image());
        BufferedImage frame = new BufferedImage(FRAME_WIDTH, FRAME_HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = frame.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(grey, 0, 0, FRAME_WIDTH, FRAME_HEIGHT, null);
        g.dispose();
        return io.lfvit.app.image.JpegEncoder.encode(frame);
    }
}
