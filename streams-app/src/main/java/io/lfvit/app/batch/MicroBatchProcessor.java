package io.lfvit.app.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Dynamic batching under exactly-once, after Kafka's {@code WordCountProcessorDemo}: records go into a
 * changelogged key-value buffer store (key = input offset, so the store iterates in arrival order);
 * the buffer is flushed when it holds {@code batchMax} records, or by a wall-clock punctuation once
 * its oldest record has waited {@code lingerMs}. A flush runs the stage (the model) once, on the
 * stream thread, forwards the answers and deletes the answered entries.
 *
 * <p>Why nothing is lost or duplicated: under {@code exactly_once_v2} the stream thread's transaction
 * holds the consumed input offsets, the buffer's changelog writes (puts and deletes) and the outputs,
 * and commits them together. A record is either (a) not yet committed: after a crash it is read again
 * from the input; (b) committed as buffered: its offset is committed and the buffer entry is restored
 * from the changelog, then flushed by the next punctuation; or (c) committed as answered: its output
 * and the deletion of its entry are in the same committed transaction. An aborted transaction rolls
 * back outputs, buffer changes and offsets together. {@code batchMax} and {@code lingerMs} bound the
 * model call, which must stay well inside {@code transaction.timeout.ms} and
 * {@code max.poll.interval.ms}.
 *
 * <p>Buffers are per task (per input partition): a localizer instance batches across the records of
 * one partition. The decoded form of a buffered record is kept in memory; a restored entry is
 * decoded again.
 */
public final class MicroBatchProcessor<T> implements Processor<byte[], byte[], String, Object> {
    private final String storeName;
    private final BatchStage<T> stage;
    private final int batchMax;
    private final long lingerMs;
    private final BatchObserver observer;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<Long, InputRecord> buffer;
    private final Map<Long, T> decoded = new HashMap<>();
    private int pending;
    private long oldestEnqueuedAt = Long.MAX_VALUE;

    public MicroBatchProcessor(String storeName, BatchStage<T> stage, int batchMax, long lingerMs, BatchObserver observer) {
        this.storeName = storeName;
        this.stage = stage;
        this.batchMax = batchMax;
        this.lingerMs = lingerMs;
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.buffer = context.getStateStore(storeName);
        stage.init(context);
        // Kafka Streams calls init() again on this same instance when it revives a corrupted task (under
        // exactly-once: closed dirty, store wiped and restored) or resumes a suspended one. The store is the
        // truth then: nothing counted or decoded in a previous life may count again.
        decoded.clear();
        pending = 0;
        oldestEnqueuedAt = Long.MAX_VALUE;
        // After a restart the store holds the committed, unanswered records (restored from the changelog).
        try (KeyValueIterator<Long, InputRecord> all = buffer.all()) {
            while (all.hasNext()) {
                InputRecord r = all.next().value;
                pending++;
                oldestEnqueuedAt = Math.min(oldestEnqueuedAt, r.enqueuedAtMs());
            }
        }
        if (pending > 0) {
            oldestEnqueuedAt = Math.min(oldestEnqueuedAt, now() - lingerMs); // flush the restored ones first
        }
        context.schedule(Duration.ofMillis(Math.max(1, lingerMs / 2)), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        long now = now();
        observer.admitted(now);
        InputRecord in = new InputRecord(meta.topic(), meta.partition(), meta.offset(), record.timestamp(),
                record.key(), record.value(), now);
        Admission<T> admission = stage.admit(in, now);
        if (admission instanceof Admission.Done<T> done) {
            forward(done.outputs(), now);
            return;
        }
        T value = ((Admission.Buffer<T>) admission).decoded();
        buffer.put(in.offset(), in);
        decoded.put(in.offset(), value);
        pending++;
        oldestEnqueuedAt = Math.min(oldestEnqueuedAt, now);
        if (pending >= batchMax || lingerMs == 0) {
            flushFull(now);
        }
    }

    private void punctuate(long now) {
        if (pending > 0 && now - oldestEnqueuedAt >= lingerMs) {
            while (pending > 0) {
                flushOne(now);
            }
        }
    }

    private void flushFull(long now) {
        while (pending >= batchMax || (lingerMs == 0 && pending > 0)) {
            flushOne(now);
        }
    }

    /** One model call over the oldest (up to batchMax) buffered records. */
    private void flushOne(long now) {
        List<BatchStage.Pending<T>> batch = new ArrayList<>(Math.min(pending, batchMax));
        List<Long> keys = new ArrayList<>();
        List<Routed> outputs = new ArrayList<>();
        long batchWaitMs = 0;
        try (KeyValueIterator<Long, InputRecord> it = buffer.all()) {
            while (it.hasNext() && keys.size() < batchMax) {
                KeyValue<Long, InputRecord> entry = it.next();
                keys.add(entry.key);
                batchWaitMs += Math.max(0, now - entry.value.enqueuedAtMs());
                T value = decoded.remove(entry.key);
                if (value == null) { // restored after a restart: admit again
                    Admission<T> again = stage.admit(entry.value, now);
                    if (again instanceof Admission.Done<T> done) {
                        outputs.addAll(done.outputs());
                        continue;
                    }
                    value = ((Admission.Buffer<T>) again).decoded();
                }
                batch.add(new BatchStage.Pending<>(entry.value, value));
            }
        }
        if (keys.isEmpty()) { // the store is empty: a count above zero must not keep a flush loop spinning
            pending = 0;
            oldestEnqueuedAt = Long.MAX_VALUE;
            return;
        }
        if (!batch.isEmpty()) {
            outputs.addAll(stage.flush(batch, now));
        }
        long forwardStart = System.nanoTime();
        forward(outputs, now);
        observer.flushed(keys.size(), batchWaitMs * 1_000_000L, System.nanoTime() - forwardStart);
        for (Long key : keys) {
            buffer.delete(key);
        }
        pending -= keys.size();
        oldestEnqueuedAt = Long.MAX_VALUE;
        if (pending > 0) {
            try (KeyValueIterator<Long, InputRecord> it = buffer.all()) {
                if (it.hasNext()) {
                    oldestEnqueuedAt = it.next().value.enqueuedAtMs();
                }
            }
        }
    }

    /** Drops the decoded forms; the buffer itself lives on in the store (and its changelog). */
    @Override
    public void close() {
        decoded.clear();
    }

    private void forward(List<Routed> outputs, long now) {
        for (Routed out : outputs) {
            context.forward(new Record<>(out.key(), out.value(), now), out.sink());
        }
    }

    private long now() {
        return context.currentSystemTimeMs();
    }

    /** Records waiting in this task's buffer (tests). */
    int pending() {
        return pending;
    }
}
