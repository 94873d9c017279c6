package io.lfvit.app.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher when Kafka Streams initialises the same processor instance again: it does so when it
 * revives a corrupted task (under exactly-once: closed dirty, store wiped and restored from the
 * changelog, e.g. after a send timeout) and when it resumes a suspended one. The store is then the
 * truth; what the instance counted in its previous life must not count again.
 */
class MicroBatchProcessorTest {
    static final String STORE = "buffer";
    static final int BATCH_MAX = 8;
    static final long LINGER_MS = 1000;

    /** Buffers every record; answers each with its offset. */
    static final class EchoStage implements BatchStage<String> {
        @Override
        public Admission<String> admit(InputRecord record, long nowMs) {
            return Admission.buffer(record.keyString());
        }

        @Override
        public List<List<Routed>> flush(List<Pending<String>> batch, long nowMs) {
            return batch.stream().map(p -> List.of(new Routed("out", p.decoded(), p.record().offset()))).toList();
        }
    }

    private MockProcessorContext<String, Object> context;
    private KeyValueStore<Long, InputRecord> store;
    private MicroBatchProcessor<String> processor;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.Long(), new InputRecordSerde())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        processor = new MicroBatchProcessor<>(STORE, new EchoStage(), BATCH_MAX, LINGER_MS, BatchObserver.NONE);
        context.setCurrentSystemTimeMs(0);
        processor.init(context);
    }

    @org.junit.jupiter.api.AfterEach
    void leaveTheThreadsBatches() {
        processor.close();
    }

    private void process(long... offsets) {
        for (long offset : offsets) {
            context.setRecordMetadata("images", 0, offset);
            processor.process(new Record<>("cam".getBytes(StandardCharsets.UTF_8), new byte[] {1}, 0));
        }
    }

    /** Kafka Streams closes the task's topology (cancelling its punctuations), then calls init() again. */
    private void reinitialise() {
        processor.close();
        context.scheduledPunctuators().forEach(MockProcessorContext.CapturedPunctuator::cancel);
        processor.init(context);
    }

    private void punctuate(long now) {
        context.setCurrentSystemTimeMs(now);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> context.scheduledPunctuators().stream()
                .filter(p -> !p.cancelled()).forEach(p -> p.getPunctuator().punctuate(now)), "punctuation ends");
    }

    private List<Object> answeredOffsets() {
        return context.forwarded().stream().map(f -> (Object) f.record().value()).toList();
    }

    @Test
    void initialisedAgainWithTheSameStoreCountsEachBufferedRecordOnce() {
        process(0, 1, 2, 3, 4);
        assertEquals(5, processor.pending());

        reinitialise(); // resumed after a suspension: the store kept its five entries

        assertEquals(5, processor.pending(), "the store's five, not five plus the five counted before");
        punctuate(LINGER_MS); // restored entries flush at the first punctuation
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), answeredOffsets());
        assertEquals(0, processor.pending());
        assertEquals(0, store.approximateNumEntries());
    }

    @Test
    void revivedWithTheUncommittedEntriesRolledBackAnswersTheRestoredAndTheReadAgainOnce() {
        process(0, 1, 2, 3, 4, 5, 6);
        store.delete(5L); // not committed at the corruption: the wiped store is restored without them,
        store.delete(6L); // and the input is read again from the committed offset 5

        reinitialise();
        assertEquals(5, processor.pending());
        process(5, 6, 7, 8); // 9 buffered: a full batch of 8 flushes at once, offsets in order
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), answeredOffsets());
        assertEquals(1, processor.pending());
        punctuate(LINGER_MS);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), answeredOffsets());
        assertEquals(0, processor.pending());
    }

    /** A second task (partition 1) on the same stream thread, with its own context and store. */
    private record Task(MockProcessorContext<String, Object> context, KeyValueStore<Long, InputRecord> store,
            MicroBatchProcessor<String> processor) {
        static Task start() {
            MockProcessorContext<String, Object> c = new MockProcessorContext<>();
            KeyValueStore<Long, InputRecord> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.Long(),
                    new InputRecordSerde()).withLoggingDisabled().build();
            s.init(c.getStateStoreContext(), s);
            c.addStateStore(s);
            MicroBatchProcessor<String> p = new MicroBatchProcessor<>(STORE, new EchoStage(), BATCH_MAX, LINGER_MS,
                    BatchObserver.NONE);
            c.setCurrentSystemTimeMs(0);
            p.init(c);
            return new Task(c, s, p);
        }

        void process(long... offsets) {
            for (long offset : offsets) {
                context.setRecordMetadata("images", 1, offset);
                processor.process(new Record<>("cam".getBytes(StandardCharsets.UTF_8), new byte[] {1}, 0));
            }
        }

        List<Object> answered() {
            return context.forwarded().stream().map(f -> (Object) f.record().value()).toList();
        }
    }

    @Test
    void aBatchSpansTheTasksOfAThreadAndEachTaskForwardsItsOwnAnswers() {
        Task other = Task.start();
        try {
            other.process(100, 101, 102);     // partition 1: three records, no batch yet
            process(0, 1, 2, 3);               // partition 0: seven between the two tasks
            assertEquals(List.of(), answeredOffsets());
            process(4);                        // eight: one batch over both tasks, run by this task
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), answeredOffsets(), "this task forwards its own at once");
            assertEquals(0, store.approximateNumEntries());
            assertEquals(List.of(), other.answered(), "the other task's answers wait for its own turn");
            assertEquals(3, other.store().approximateNumEntries(), "and its entries stay until they are forwarded");
            assertEquals(3, other.processor().pending());

            other.context().setCurrentSystemTimeMs(1);
            other.context().scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(1));
            assertEquals(List.of(100L, 101L, 102L), other.answered());
            assertEquals(0, other.store().approximateNumEntries());
            assertEquals(0, other.processor().pending());
        } finally {
            other.processor().close();
        }
    }

    @Test
    void aClosedTaskLeavesTheThreadsBatches() {
        Task other = Task.start();
        other.process(100, 101, 102);
        other.processor().close();
        process(0, 1, 2, 3, 4, 5, 6);        // seven of this task's own: no batch, the closed task's three do not count
        assertEquals(List.of(), answeredOffsets());
        process(7);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), answeredOffsets());
    }

    /**
     * Echoes like {@link EchoStage}, on two runners: each batch waits at a barrier for a second batch to be
     * running too (it times out when batches run one at a time), and the first batch then finishes last.
     */
    /** Buffers every record, on two runners (two model replicas). */
    abstract static class TwoRunnerStage implements BatchStage<String> {
        @Override
        public Admission<String> admit(InputRecord record, long nowMs) {
            return Admission.buffer(record.keyString());
        }

        @Override
        public int parallelism() {
            return 2;
        }
    }

    static final class TwoAtOnceStage extends TwoRunnerStage {
        final java.util.concurrent.CyclicBarrier bothRunning = new java.util.concurrent.CyclicBarrier(2);
        final java.util.concurrent.CountDownLatch secondDone = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public List<List<Routed>> flush(List<Pending<String>> batch, long nowMs) {
            int order = started.getAndIncrement();
            try {
                if (order < 2) {
                    bothRunning.await(5, java.util.concurrent.TimeUnit.SECONDS);
                }
                if (order == 0) {
                    secondDone.await(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException("batch " + order + " did not run alongside another: " + e, e);
            }
            List<List<Routed>> answers = new EchoStage().flush(batch, nowMs);
            if (order == 1) {
                secondDone.countDown();
            }
            return answers;
        }
    }

    /** Replaces the processor with one whose batches run on {@code stage}'s runner threads (as in the apps). */
    private <S extends BatchStage<String>> S onRunners(S stage) {
        processor.close();
        processor = new MicroBatchProcessor<>(STORE, stage, BATCH_MAX, LINGER_MS, BatchObserver.NONE, true);
        processor.init(context);
        return stage;
    }

    /** Punctuates at {@code now} until {@code n} answers are forwarded (or 10 s pass: the assertions then say what is missing). */
    private void awaitAnswers(int n, long now) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (answeredOffsets().size() < n && System.currentTimeMillis() < deadline) {
            punctuate(now);
        }
    }

    @Test
    void withTwoReplicasTwoBatchesRunAtOnceAndTheirAnswersKeepTheInputOrder() {
        TwoAtOnceStage stage = onRunners(new TwoAtOnceStage());
        process(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15); // two full batches, submitted at once
        awaitAnswers(16, 0); // not lingered: only collects finished batches
        assertEquals(java.util.stream.LongStream.range(0, 16).boxed().map(o -> (Object) o).toList(), answeredOffsets(),
                "both batches answered, the first batch's records first although it finished last");
        assertEquals(2, stage.started.get());
        assertEquals(0, store.approximateNumEntries());
    }

    /** Echoes on two runners and notes the size of every batch it is given. */
    static final class SizeNotingStage extends TwoRunnerStage {
        final List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public List<List<Routed>> flush(List<Pending<String>> batch, long nowMs) {
            sizes.add(batch.size());
            return new EchoStage().flush(batch, nowMs);
        }
    }

    @Test
    void aLingeredRemainderIsSharedAmongTheFreeRunnersAndAnsweredInOrder() {
        SizeNotingStage stage = onRunners(new SizeNotingStage());
        process(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13); // one full batch at once, six records left
        awaitAnswers(8, 0); // not lingered: the six wait
        assertEquals(List.of(8), stage.sizes, "the six records wait for their linger while a batch could still fill");

        awaitAnswers(14, LINGER_MS); // lingered, both runners free
        assertEquals(List.of(8, 3, 3), stage.sizes.stream().sorted(java.util.Comparator.reverseOrder()).toList(),
                "the six lingered records went to both free runners, three each");
        assertEquals(java.util.stream.LongStream.range(0, 14).boxed().map(o -> (Object) o).toList(), answeredOffsets());
        assertEquals(0, store.approximateNumEntries());
    }

    private long activePunctuations() {
        return context.scheduledPunctuators().stream().filter(p -> !p.cancelled()).count();
    }

    /**
     * Kafka Streams marks a task as needing a commit at every punctuation: a task punctuating while it holds
     * nothing made an idle application commit a transaction every commit interval, for ever.
     */
    @Test
    void aTaskPunctuatesOnlyWhileItHoldsRecords() {
        assertEquals(0, activePunctuations(), "an empty store: nothing to linger, collect or forward");
        process(0, 1);
        assertEquals(1, activePunctuations());
        punctuate(LINGER_MS / 2);
        assertEquals(1, activePunctuations(), "still lingering");
        punctuate(LINGER_MS);
        assertEquals(List.of(0L, 1L), answeredOffsets());
        assertEquals(0, activePunctuations(), "everything forwarded: the punctuation is cancelled");
        process(2);
        assertEquals(1, activePunctuations(), "a new record schedules it again");

        reinitialise();
        assertEquals(1, activePunctuations(), "a task initialised again with a record in its store punctuates");
        punctuate(2 * LINGER_MS);
        assertEquals(List.of(0L, 1L, 2L), answeredOffsets());
        assertEquals(0, activePunctuations());
    }
}
