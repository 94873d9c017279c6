package io.lfvit.app.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How long a stream thread's poll waits: the consumer's poll is a fake that notes what it was asked for and
 * lets that time pass on a fake clock (no records unless a test says so).
 */
class StreamThreadPaceTest {
    static final long POLL_MS = 5;
    static final long COMMIT_INTERVAL_MS = 100;
    static final int BATCH_MAX = 4;
    static final long LINGER_MS = 20;

    private final AtomicLong clock = new AtomicLong(10_000);
    private final StreamThreadPace pace = new StreamThreadPace(clock::get);
    private final List<Long> asked = new CopyOnWriteArrayList<>();
    private MicroBatchProcessor<String> processor;
    private MockProcessorContext<String, Object> context;

    /** The consumer: no records; the time asked for passes. */
    private Integer quietPoll(long ms) {
        asked.add(ms);
        clock.addAndGet(ms);
        return 0;
    }

    private Integer poll() {
        return pace.poll(POLL_MS, COMMIT_INTERVAL_MS, this::quietPoll, n -> n == 0);
    }

    @AfterEach
    void leaveTheThreadsBatches() {
        if (processor != null) {
            processor.close();
        }
    }

    @Test
    void withNothingInProgressItWaitsForRecordsAsLongAsKafkaStreamsWouldByDefault() {
        poll();
        assertEquals(List.of(StreamThreadPace.IDLE_WAIT_MS), asked);
    }

    @Test
    void recordsEndTheWait() {
        int got = pace.poll(POLL_MS, COMMIT_INTERVAL_MS, ms -> {
            asked.add(ms);
            return 3;
        }, n -> n == 0);
        assertEquals(3, got);
        assertEquals(List.of(StreamThreadPace.IDLE_WAIT_MS), asked, "one poll, returned as soon as records came");
    }

    @Test
    void writesInTheOpenTransactionWaitNoLongerThanTheNextCommit() {
        pace.sent();
        poll();
        assertEquals(List.of(POLL_MS), asked, "before the first commit, Kafka Streams' own pace");

        asked.clear();
        pace.committed(); // at 10 005
        clock.addAndGet(20);
        pace.sent();
        poll();
        assertEquals(List.of(COMMIT_INTERVAL_MS + 1 - 20), asked, "until just past the commit interval");

        asked.clear();
        pace.committed();
        poll();
        assertEquals(List.of(StreamThreadPace.IDLE_WAIT_MS), asked, "committed and nothing written since: idle");
    }

    /** Starts a batching task on this thread whose batches run on {@code stage}'s runners. */
    private void startTask(BatchStage<String> stage) {
        context = new MockProcessorContext<>();
        KeyValueStore<Long, InputRecord> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("buffer"),
                Serdes.Long(), new InputRecordSerde()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        processor = new MicroBatchProcessor<>("buffer", stage, BATCH_MAX, LINGER_MS, BatchObserver.NONE, true);
        context.setCurrentSystemTimeMs(clock.get());
        processor.init(context);
    }

    private void process(long... offsets) {
        for (long offset : offsets) {
            context.setRecordMetadata("images", 0, offset);
            processor.process(new Record<>("cam".getBytes(StandardCharsets.UTF_8), new byte[] {1}, 0));
        }
    }

    /** Echoes, on {@code runners} runners, once {@code release} is counted down. */
    static final class HeldStage implements BatchStage<String> {
        final CountDownLatch release = new CountDownLatch(1);
        final int runners;

        HeldStage(int runners) {
            this.runners = runners;
        }

        @Override
        public Admission<String> admit(InputRecord record, long nowMs) {
            return Admission.buffer(record.keyString());
        }

        @Override
        public List<List<Routed>> flush(List<Pending<String>> batch, long nowMs) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return batch.stream().map(p -> List.of(new Routed("out", p.decoded(), p.record().offset()))).toList();
        }

        @Override
        public int parallelism() {
            return runners;
        }
    }

    @Test
    void queuedRecordsWithAFreeRunnerWaitUntilTheirLingerEnds() {
        startTask(new HeldStage(1));
        process(0); // one record, admitted at 10 000: its linger ends at 10 020
        clock.addAndGet(5);
        poll();
        assertEquals(List.of(LINGER_MS - 5), asked);
    }

    @Test
    void whileEveryRunnerIsBusyItWaitsForTheBatchWithoutPollingAndReturnsWhenItEnds() {
        HeldStage stage = new HeldStage(1);
        startTask(stage);
        process(0, 1, 2, 3); // a full batch: the one runner is busy
        pace.sent();
        pace.committed();
        pace.sent(); // the next commit is 101 ms away
        Thread releaser = new Thread(() -> {
            sleep(50);
            stage.release.countDown();
        });
        releaser.start();
        poll(); // on this thread: the batches are the thread's (a stuck wait would end at the commit, 101 ms)
        assertEquals(List.of(0L), asked, "no poll until the batch ended, then one that returns at once");
        assertEquals(0, stage.release.getCount(), "it returned because the batch ended");
    }

    @Test
    void whileABatchRunsWithARunnerFreeItPollsInSlicesUntilTheBatchEnds() {
        HeldStage stage = new HeldStage(2);
        startTask(stage);
        process(0, 1, 2, 3); // a full batch on one of the two runners
        int[] calls = {0};
        pace.poll(POLL_MS, COMMIT_INTERVAL_MS, ms -> { // on this thread: the batches are the thread's
            asked.add(ms);
            if (calls[0] > 100) {
                throw new AssertionError("still polling after the batch ended");
            }
            if (++calls[0] == 3) {
                stage.release.countDown();
                awaitBatchEnd();
            }
            return 0;
        }, n -> n == 0);
        assertEquals(List.of(POLL_MS, POLL_MS, POLL_MS), asked, "records may come for the free runner: polls of poll.ms, "
                + "until the batch ended");
    }

    @Test
    void finishedAnswersToForwardKeepKafkaStreamsOwnPace() {
        HeldStage stage = new HeldStage(2);
        startTask(stage);
        process(0, 1, 2, 3);
        stage.release.countDown();
        awaitBatchEnd();
        poll();
        assertEquals(List.of(POLL_MS), asked);
    }

    private void awaitBatchEnd() {
        for (ThreadBatches<?> batches : ThreadBatches.allOfThisThread()) {
            java.util.concurrent.CompletableFuture<?> running = batches.oldestInFlight();
            if (running != null) {
                running.join();
            }
        }
        assertTrue(ThreadBatches.allOfThisThread().stream().allMatch(ThreadBatches::answersReady));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
