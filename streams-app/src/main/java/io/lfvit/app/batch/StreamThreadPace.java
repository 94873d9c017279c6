package io.lfvit.app.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * How long a stream thread may block in its consumer's poll before its batches or its open transaction
 * need it, and on what.
 *
 * <p>The stream thread polls every {@code poll.ms} (5 ms), because a finished batch's answers are forwarded
 * by a punctuation and only a returning poll lets one run. Each turn of Kafka Streams' loop cost an idle
 * thread ~0.3 ms of CPU (polling, the state updater, commit checks, punctuation queues): ~0.07 core per
 * application, on the cores the model needs. The loop only has to turn when something of ours or of the
 * transaction is due, so the consumer's poll waits for the first of:
 * <ul>
 *   <li>records arriving (the consumer's own poll returns at once);</li>
 *   <li>the end of the oldest running batch (its answers to collect), without polling at all while every
 *       runner is busy: records arriving then would only queue for a runner;</li>
 *   <li>the end of the queued records' linger, when a runner is free to take them;</li>
 *   <li>the next commit, while the open transaction holds writes ({@code commit.interval.ms} after the last);</li>
 *   <li>otherwise {@link #IDLE_WAIT_MS}, Kafka Streams' default {@code poll.ms}.</li>
 * </ul>
 * It never waits less than Kafka Streams asked. One instance per thread: Kafka Streams calls a stream
 * thread's consumer and producer, and runs its tasks' processors, on that thread.
 */
public final class StreamThreadPace {
    /** The longest wait with nothing in progress: Kafka Streams' default {@code poll.ms}. */
    public static final long IDLE_WAIT_MS = 100;

    private static final ThreadLocal<StreamThreadPace> BY_THREAD =
            ThreadLocal.withInitial(() -> new StreamThreadPace(System::currentTimeMillis));

    private final LongSupplier clock;
    /** Records were written in the open transaction. */
    private boolean written;
    private long lastCommitMs = -1;

    StreamThreadPace(LongSupplier clock) {
        this.clock = clock;
    }

    public static StreamThreadPace ofThisThread() {
        return BY_THREAD.get();
    }

    /** The thread's producer sent a record (an output or a changelog write) in the open transaction. */
    public void sent() {
        written = true;
    }

    /** The thread's producer committed its transaction. */
    public void committed() {
        written = false;
        lastCommitMs = clock.getAsLong();
    }

    /** The thread's producer aborted its transaction. */
    public void aborted() {
        written = false;
    }

    /**
     * What the next poll waits for: until {@code untilMs} at the latest; also for the end of {@code batchEnds}
     * when not null; and, when {@code recordsMatter}, for records.
     */
    record Wait(long untilMs, CompletableFuture<?> batchEnds, boolean recordsMatter) {}

    Wait next(long nowMs, long commitIntervalMs) {
        long until = !written ? nowMs + IDLE_WAIT_MS
                : lastCommitMs < 0 ? nowMs // the first commit's time is Kafka Streams' own: keep its pace
                : lastCommitMs + commitIntervalMs + 1;
        List<CompletableFuture<?>> running = new ArrayList<>();
        boolean runnerFree = false;
        for (ThreadBatches<?> batches : ThreadBatches.allOfThisThread()) {
            if (batches.answersReady()) {
                return new Wait(nowMs, null, true);
            }
            CompletableFuture<?> oldest = batches.oldestInFlight();
            if (oldest != null) {
                running.add(oldest);
            }
            if (batches.runnerFree()) {
                runnerFree = true;
                until = Math.min(until, batches.lingerEndsAt());
            }
        }
        CompletableFuture<?> batchEnds = running.isEmpty() ? null
                : running.size() == 1 ? running.get(0) : CompletableFuture.anyOf(running.toArray(CompletableFuture[]::new));
        return new Wait(Math.max(nowMs, until), batchEnds, runnerFree || batchEnds == null);
    }

    /**
     * One poll of the stream thread's consumer, waiting as long as this thread's batches and transaction allow.
     *
     * @param timeoutMs        what Kafka Streams asked for ({@code poll.ms}), the least this waits
     * @param commitIntervalMs the application's {@code commit.interval.ms}
     * @param poll             the consumer's own poll, for a number of ms
     * @param empty            whether a poll's result holds no records
     */
    public <R> R poll(long timeoutMs, long commitIntervalMs, LongFunction<R> poll, Predicate<R> empty) {
        long now = clock.getAsLong();
        Wait wait = next(now, commitIntervalMs);
        long until = Math.max(wait.untilMs(), now + timeoutMs);
        if (!wait.recordsMatter()) {
            awaitQuietly(wait.batchEnds(), until - now);
            return poll.apply(0);
        }
        while (true) {
            long left = Math.max(0, until - now);
            R records = poll.apply(wait.batchEnds() == null ? left : Math.min(left, timeoutMs));
            now = clock.getAsLong();
            if (!empty.test(records) || now >= until || (wait.batchEnds() != null && wait.batchEnds().isDone())) {
                return records;
            }
        }
    }

    /** Waits for the batch to end (successfully or not: its failure is the stream thread's to rethrow). */
    private static void awaitQuietly(CompletableFuture<?> batch, long ms) {
        try {
            batch.get(Math.max(0, ms), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
            // ended badly or not yet: the stream thread's next turn sees to it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
