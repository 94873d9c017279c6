package io.lfvit.app.video;

import io.lfvit.app.produce.ImageProducer;
import io.lfvit.schemas.avro.ImageEvent;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Sends a video's frames as ImageEvents: {@code frame_seq} = the frame's index in the video (presentation
 * order), {@code capture_time} = {@code start} + the frame's timestamp. With {@code live} each frame is
 * sent when its time comes (at the video's own rate from {@code start}, like a camera); without, as fast
 * as the producer goes, with the same capture times.
 */
public final class VideoProducer {
    private VideoProducer() {}

    /** Sends every frame of {@code frames}; returns how many. {@code beforeSend} sees each event first. */
    public static long send(ImageProducer producer, VideoFrames frames, String source, Instant start, boolean live,
            Consumer<ImageEvent> beforeSend) {
        long startMs = start.toEpochMilli();
        long n = 0;
        while (frames.hasNext()) {
            VideoFrame f = frames.next();
            long captureMs = startMs + Math.round(f.ptsSeconds() * 1000);
            if (live) {
                long wait = captureMs - System.currentTimeMillis();
                if (wait > 0) {
                    LockSupport.parkNanos(wait * 1_000_000L);
                }
            }
            ImageEvent e = ImageProducer.event(source, f.index(), f.frame(), Instant.ofEpochMilli(captureMs));
            if (beforeSend != null) {
                beforeSend.accept(e);
            }
            producer.send(e, null);
            n++;
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        producer.flush();
        return n;
    }
}
