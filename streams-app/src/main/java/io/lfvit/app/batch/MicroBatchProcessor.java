package io.lfvit.app.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
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
 * a batch is submitted when the stream thread's tasks hold {@code batchMax} records between them, or by
 * a wall-clock punctuation once the oldest has waited {@code lingerMs} and no batch is running. A batch
 * runs the stage (the model) once over the oldest records of all the thread's tasks, on a runner thread
 * while the stream thread goes on ({@link ThreadBatches}); each task forwards the answers to its own
 * records and deletes their entries itself, in its own transaction.
 *
 * <p>Why nothing is lost or duplicated: under {@code exactly_once_v2} the stream thread's transaction
 * holds the consumed input offsets, the buffer's changelog writes (puts and deletes) and the outputs,
 * and commits them together. A record is either (a) not yet committed: after a crash it is read again
 * from the input; (b) committed as buffered (answered or not, while its answer is not forwarded its entry
 * stays): its offset is committed and the buffer entry is restored from the changelog, then answered by
 * the next batch; or (c) committed as answered: its output and the deletion of its entry are in the same
 * committed transaction. An aborted transaction rolls back outputs, buffer changes and offsets together.
 * {@code batchMax} and {@code lingerMs} bound the model call, which must stay well inside
 * {@code transaction.timeout.ms} and {@code max.poll.interval.ms}.
 *
 * <p>The decoded form of a buffered record is kept in memory; a restored entry is decoded again.
 */
public final class MicroBatchProcessor<T> implements Processor<byte[], byte[], String, Object> {
    /**
     * How often a task looks for answers another task's batch left for it, and for lingering records; the
     * stream thread's poll must not block longer ({@code poll.ms}, set from this).
     */
    public static final long MAX_PUNCTUATION_MS = 5;

    private final String storeName;
    private final BatchStage<T> stage;
    private final int batchMax;
    private final long lingerMs;
    private final BatchObserver observer;
    private final boolean asynchronous;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<Long, InputRecord> buffer;
    private ThreadBatches<T> thread;
    /** Buffered records not yet taken into a batch, by offset; a null decoded form: restored, admit again. */
    private final TreeMap<Long, Queued<T>> queue = new TreeMap<>();
    /** Answers of this task's records, forwarded at this task's next record or punctuation. */
    private final List<Answered> stash = new ArrayList<>();
    /** Bumped by init() and close(): answers of batches taken in an earlier life are dropped, not forwarded. */
    private long epoch;
    /** Entries of this task's store: records queued, in a batch, or answered and not yet forwarded. */
    private int held;
    /** This task's punctuation, scheduled only while it holds records (see {@link #punctuateWhileHolding()}). */
    private Cancellable punctuation;

    private record Queued<T>(InputRecord record, T decoded) {}

    /** Answers for some of this task's records: their store keys, the outputs, their summed batch wait. */
    private record Answered(List<Long> keys, List<Routed> outputs, long batchWaitNanos) {}

    /** A task's share of a batch: its keys, its pending records' place in the batch, answers found on the way. */
    record Share<T>(MicroBatchProcessor<T> task, long epoch, List<Long> keys, int from, int to, List<Routed> early,
            long batchWaitNanos) {}

    /** Runs the stage synchronously on the stream thread (tests); the apps use the asynchronous form. */
    public MicroBatchProcessor(String storeName, BatchStage<T> stage, int batchMax, long lingerMs, BatchObserver observer) {
        this(storeName, stage, batchMax, lingerMs, observer, false);
    }

    /** {@code asynchronous}: the stage runs on the stream thread's batch runner ({@link ThreadBatches}). */
    public MicroBatchProcessor(String storeName, BatchStage<T> stage, int batchMax, long lingerMs, BatchObserver observer,
            boolean asynchronous) {
        this.storeName = storeName;
        this.stage = stage;
        this.batchMax = batchMax;
        this.lingerMs = lingerMs;
        this.observer = observer;
        this.asynchronous = asynchronous;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.buffer = context.getStateStore(storeName);
        stage.init(context);
        // Kafka Streams calls init() again on this same instance when it revives a corrupted task (under
        // exactly-once: closed dirty, store wiped and restored) or resumes a suspended one. The store is the
        // truth then: nothing queued, answered, stashed or in flight in a previous life may count again.
        epoch++;
        queue.clear();
        stash.clear();
        // After a restart the store holds the committed, unanswered records (restored from the changelog):
        // they count as past their linger, so the first punctuation answers them.
        long due = now() - lingerMs;
        held = 0;
        try (KeyValueIterator<Long, InputRecord> all = buffer.all()) {
            while (all.hasNext()) {
                KeyValue<Long, InputRecord> e = all.next();
                InputRecord r = e.value;
                queue.put(e.key, new Queued<>(new InputRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(),
                        r.value(), Math.min(r.enqueuedAtMs(), due)), null));
                held++;
            }
        }
        thread = ThreadBatches.ofThisThread(storeName, asynchronous, stage.parallelism());
        thread.join(this);
        stopPunctuating();
        punctuateWhileHolding();
    }

    /**
     * Schedules this task's punctuation while it holds records and cancels it once it holds none. Kafka Streams
     * marks a task as needing a commit at every punctuation, so a punctuation every few ms that found nothing to
     * do made an idle application commit a transaction (offsets only) every {@code commit.interval.ms}, for ever,
     * and kept its stream thread looping; a task with nothing buffered has nothing to linger, collect or forward.
     */
    private void punctuateWhileHolding() {
        if (held > 0 && punctuation == null) {
            punctuation = context.schedule(Duration.ofMillis(Math.max(1, Math.min(MAX_PUNCTUATION_MS, lingerMs / 2))),
                    PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        } else if (held <= 0 && queue.isEmpty() && stash.isEmpty()) {
            stopPunctuating();
        }
    }

    private void stopPunctuating() {
        if (punctuation != null) {
            punctuation.cancel();
            punctuation = null;
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        long now = now();
        observer.admitted(now);
        thread.collect(false);
        forwardStash(now);
        InputRecord in = new InputRecord(meta.topic(), meta.partition(), meta.offset(), record.timestamp(),
                record.key(), record.value(), now);
        Admission<T> admission = stage.admit(in, now);
        if (admission instanceof Admission.Done<T> done) {
            forward(done.outputs(), now);
            return;
        }
        buffer.put(in.offset(), in);
        held++;
        punctuateWhileHolding();
        queue.put(in.offset(), new Queued<>(in, ((Admission.Buffer<T>) admission).decoded()));
        submit(now, lingerMs == 0);
        thread.collect(false);
        forwardStash(now);
    }

    private void punctuate(long now) {
        thread.collect(false);
        forwardStash(now);
        submit(now, now - thread.oldestEnqueuedAt() >= lingerMs);
        thread.collect(false);
        forwardStash(now);
    }

    /**
     * Full batches always (waiting when the runners are busy); with {@code lingered}, the rest too, but only
     * when a runner is free: while the model is busy, records wait for it anyway and the batch grows. The rest
     * is shared among the free runners: at the end of a backlog, or under light load, two half batches on two
     * replicas are answered in about half the time of one batch on one, on a core that would otherwise idle.
     */
    private void submit(long now, boolean lingered) {
        while (thread.pending() >= batchMax) {
            submitOne(now, batchMax);
        }
        if (lingered && thread.pending() > 0 && thread.runnerFree()) {
            int share = Math.max(minShare(), ceilDiv(thread.pending(), thread.freeRunners()));
            while (thread.pending() > 0 && thread.runnerFree()) {
                submitOne(now, share);
            }
        }
    }

    /** The smallest batch a remainder is split into: below it, a model call's fixed cost outweighs a core's help. */
    private int minShare() {
        return Math.max(1, batchMax / 8);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** One batch over the thread's oldest (up to {@code size}) queued records. */
    private void submitOne(long now, int size) {
        List<BatchStage.Pending<T>> batch = new ArrayList<>(size);
        List<Share<T>> shares = new ArrayList<>();
        for (Map.Entry<MicroBatchProcessor<T>, Integer> take : thread.oldest(size).entrySet()) {
            shares.add(take.getKey().take(take.getValue(), now, batch));
        }
        thread.submit(shares, stage, batch, now);
    }

    /**
     * Takes this task's {@code n} oldest queued records into {@code batch} (a restored one is admitted
     * again first; if that answers it, the answer joins the share's outputs instead).
     */
    private Share<T> take(int n, long now, List<BatchStage.Pending<T>> batch) {
        int from = batch.size();
        List<Long> keys = new ArrayList<>(n);
        List<Routed> early = new ArrayList<>();
        long waitMs = 0;
        Iterator<Map.Entry<Long, Queued<T>>> it = queue.entrySet().iterator();
        while (it.hasNext() && keys.size() < n) {
            Map.Entry<Long, Queued<T>> e = it.next();
            it.remove();
            keys.add(e.getKey());
            Queued<T> q = e.getValue();
            waitMs += Math.max(0, now - q.record().enqueuedAtMs());
            T decoded = q.decoded();
            if (decoded == null) {
                Admission<T> again = stage.admit(q.record(), now);
                if (again instanceof Admission.Done<T> done) {
                    early.addAll(done.outputs());
                    continue;
                }
                decoded = ((Admission.Buffer<T>) again).decoded();
            }
            batch.add(new BatchStage.Pending<>(q.record(), decoded));
        }
        return new Share<>(this, epoch, keys, from, batch.size(), early, waitMs * 1_000_000L);
    }

    /** The answers to a share of this task's records (from the stream thread): forwarded at this task's next turn. */
    void answered(Share<T> share, List<List<Routed>> answers) {
        if (share.epoch() != epoch) {
            return; // taken before a restart of this task: its records are queued again from the store
        }
        List<Routed> outputs = new ArrayList<>(share.early());
        answers.forEach(outputs::addAll);
        stash.add(new Answered(share.keys(), outputs, share.batchWaitNanos()));
    }

    private void forwardStash(long now) {
        if (stash.isEmpty()) {
            return;
        }
        List<Answered> ready = new ArrayList<>(stash);
        stash.clear();
        for (Answered a : ready) {
            deliver(a, now);
        }
        punctuateWhileHolding();
    }

    /** Forwards a task's answers and deletes their entries: in this task's transaction, together. */
    private void deliver(Answered answered, long now) {
        long t0 = System.nanoTime();
        forward(answered.outputs(), now);
        for (Long key : answered.keys()) {
            buffer.delete(key);
        }
        held -= answered.keys().size();
        observer.flushed(answered.keys().size(), answered.batchWaitNanos(), System.nanoTime() - t0);
    }

    /** Leaves the thread's batches; the buffer itself lives on in the store (and its changelog). */
    @Override
    public void close() {
        epoch++;
        held = 0;
        stopPunctuating();
        if (thread != null) {
            thread.leave(this);
        }
        queue.clear();
        stash.clear();
    }

    private void forward(List<Routed> outputs, long now) {
        for (Routed out : outputs) {
            context.forward(new Record<>(out.key(), out.value(), now), out.sink());
        }
    }

    private long now() {
        return context.currentSystemTimeMs();
    }

    /** Records of this task waiting for a batch. */
    int queued() {
        return queue.size();
    }

    /** Wall-clock ms at which this task's oldest queued record was admitted; MAX_VALUE when none. */
    long oldestQueuedAt() {
        long oldest = Long.MAX_VALUE;
        for (Queued<T> q : queue.values()) {
            oldest = Math.min(oldest, q.record().enqueuedAtMs());
        }
        return oldest;
    }

    /** Wall-clock ms at which this task's oldest queued record has lingered {@code lingerMs}; MAX_VALUE when none. */
    long lingerEndsAt() {
        long oldest = oldestQueuedAt();
        return oldest == Long.MAX_VALUE ? oldest : oldest + lingerMs;
    }

    boolean hasAnswersToForward() {
        return !stash.isEmpty();
    }

    /** (admitted at, offset) of each queued record, oldest offset first. */
    List<long[]> queuedTimes() {
        List<long[]> out = new ArrayList<>(queue.size());
        queue.forEach((offset, q) -> out.add(new long[] {q.record().enqueuedAtMs(), offset}));
        return out;
    }

    /** Records buffered by this task and not yet answered: queued, or answered and not yet forwarded (tests, synchronous). */
    int pending() {
        return queue.size() + stash.stream().mapToInt(a -> a.keys().size()).sum();
    }
}
