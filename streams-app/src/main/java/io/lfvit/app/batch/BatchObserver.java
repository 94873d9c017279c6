package io.lfvit.app.batch;

/**
 * What a {@link MicroBatchProcessor} reports about its batches: where an image's time goes while it
 * waits for and rides through a batch. Implementations must be cheap; they run on the stream thread.
 */
public interface BatchObserver {

    /** A record was admitted at wall-clock {@code nowMs} (the first one starts a benchmark's window). */
    void admitted(long nowMs);

    /**
     * A batch was answered.
     *
     * @param images          records in the batch
     * @param batchWaitNanos  summed over the batch: from each record's admission to the flush
     * @param forwardNanos    serialising and handing the answers to the producer (once per batch)
     */
    void flushed(int images, long batchWaitNanos, long forwardNanos);

    BatchObserver NONE = new BatchObserver() {
        @Override
        public void admitted(long nowMs) {}

        @Override
        public void flushed(int images, long batchWaitNanos, long forwardNanos) {}
    };
}
