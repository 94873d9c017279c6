package io.lfvit.app.video;

import io.lfvit.app.produce.Frame;
import io.lfvit.schemas.avro.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jcodec.api.FrameGrab;
import org.jcodec.api.PictureWithMetadata;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.scale.AWTUtil;

/**
 * The frames of a video file (MP4/MOV with H.264, and what else JCodec's FrameGrab reads), decoded by
 * JCodec and handed out in presentation order (timestamps) (pure Java, so nothing native to install), sampled at {@code fps} frames
 * per second of video time (0 = every frame) and encoded as JPEG for the images topic.
 *
 * <p>A file JCodec cannot read fails with a {@link VideoDecodeException} that names the file and the
 * reason. Decoding runs on a worker thread with a time limit per frame ({@code frameTimeout}), so that
 * a corrupt stream that sends a decoder into a loop ends in an error too, never in a hang.
 */
public final class VideoFrames implements Iterator<VideoFrame>, AutoCloseable {
    /** Longest a single frame may take to decode before the file is declared unreadable. */
    public static final long DEFAULT_FRAME_TIMEOUT_MS = 30_000;

    private final Path file;
    private final double fps;
    private final long frameTimeoutMs;
    private final ExecutorService decoder;
    private final FileChannelWrapper channel;
    private final FrameGrab grab;
    /** H.264's largest decoded picture buffer: no frame is presented later than this many frames after it is decoded. */
    static final int REORDER_DEPTH = 16;

    private final PriorityQueue<Decoded> reorder = new PriorityQueue<>(Comparator.comparingDouble(Decoded::pts));
    private long decoded;
    private long presented;
    private double nextDueSeconds = Double.NEGATIVE_INFINITY;
    private VideoFrame next;
    private boolean endOfStream;

    public VideoFrames(Path file, double fps) {
        this(file, fps, DEFAULT_FRAME_TIMEOUT_MS);
    }

    public VideoFrames(Path file, double fps, long frameTimeoutMs) {
        if (fps < 0) {
            throw new IllegalArgumentException("--fps must be >= 0 (0 = every frame), got " + fps);
        }
        if (!Files.isRegularFile(file)) {
            throw new VideoDecodeException("no video file at " + file);
        }
        this.file = file;
        this.fps = fps;
        this.frameTimeoutMs = frameTimeoutMs;
        this.decoder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lfvit-video-decoder");
            t.setDaemon(true); // a decoder stuck in a corrupt stream must not keep the JVM alive
            return t;
        });
        FileChannelWrapper ch = null;
        try {
            ch = NIOUtils.readableChannel(file.toFile());
            FileChannelWrapper opened = ch;
            this.grab = withTimeout(() -> FrameGrab.createFrameGrab(opened), "reading the container");
            this.channel = ch;
        } catch (RuntimeException e) {
            NIOUtils.closeQuietly(ch);
            decoder.shutdownNow();
            throw e;
        } catch (IOException e) {
            decoder.shutdownNow();
            throw new VideoDecodeException("cannot open video " + file + ": " + e.getMessage(), e);
        }
    }

    /** Frames decoded so far (sampled or not). */
    public long decoded() {
        return decoded;
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            // H.264 with B-frames (main and high profile) decodes out of presentation order: keep up to a
            // decoded picture buffer's worth of frames and hand them out by timestamp
            while (!endOfStream && reorder.size() <= REORDER_DEPTH) {
                decodeOne();
            }
            Decoded d = reorder.poll();
            if (d == null) {
                return false;
            }
            long index = presented++;
            if (fps > 0 && d.pts() + 1e-6 < nextDueSeconds) {
                continue;
            }
            nextDueSeconds = fps > 0 ? Math.max(nextDueSeconds, d.pts()) + 1.0 / fps : nextDueSeconds;
            next = new VideoFrame(d.frame(), index, d.pts());
        }
        return true;
    }

    private void decodeOne() {
        PictureWithMetadata picture = withTimeout(grab::getNativeFrameWithMetadata, "decoding frame " + decoded);
        if (picture == null) {
            endOfStream = true;
            if (decoded == 0) {
                throw new VideoDecodeException("video " + file + " has a video track but no frame could be decoded");
            }
            return;
        }
        decoded++;
        // to JPEG at once: the decoder may reuse the picture's buffers for the next frame
        BufferedImage image = AWTUtil.toBufferedImage(picture.getPicture(), picture.getOrientation());
        reorder.add(new Decoded(picture.getTimestamp(),
                new Frame(io.lfvit.app.image.JpegEncoder.encode(image), ImageEncoding.JPEG, image.getWidth(), image.getHeight(), 3, null)));
    }

    /** A decoded frame waiting for its turn in presentation order. */
    private record Decoded(double pts, Frame frame) {}

    @Override
    public VideoFrame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        VideoFrame out = next;
        next = null;
        return out;
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private <T> T withTimeout(Step<T> step, String what) {
        Future<T> f = decoder.submit(step::run);
        try {
            return f.get(frameTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new VideoDecodeException("video " + file + ": " + what + " took more than " + frameTimeoutMs
                    + " ms; the file is corrupt or not a video JCodec reads", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new VideoDecodeException("cannot read video " + file + " (" + what + "): " + describe(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new VideoDecodeException("interrupted while " + what + " of " + file, e);
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    @Override
    public void close() {
        decoder.shutdownNow();
        NIOUtils.closeQuietly(channel);
    }
}
