package io.lfvit.app.batch;

import java.util.List;

/**
 * A model stage behind the {@link MicroBatchProcessor}: admits records one at a time, answers them a
 * batch at a time. Implementations route their own failures (dead letters) and never throw for one
 * bad record; an exception out of {@link #flush} fails the stream thread (and so the transaction).
 */
public interface BatchStage<T> {

    /** Called once per task before the first record (stores, e.g. the global control store, are open). */
    default void init(org.apache.kafka.streams.processor.api.ProcessingContext context) {}

    /** Called for every arriving record, and again for a buffered record restored after a restart. */
    Admission<T> admit(InputRecord record, long nowMs);

    /**
     * Answers a batch: for each pending record, in the batch's order, its outputs (one or more). The records
     * may come from several tasks of the stream thread; each task forwards the outputs of its own.
     */
    List<List<Routed>> flush(List<Pending<T>> batch, long nowMs);

    /** How many batches the stage can answer at once (its model's replicas): a stream thread keeps that many running. */
    default int parallelism() {
        return 1;
    }

    /** A buffered record and its decoded form. */
    record Pending<T>(InputRecord record, T decoded) {}
}
