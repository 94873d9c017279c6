package io.lfvit.app.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The batches of one stream thread: every task (input partition) of the thread buffers in its own
 * changelogged store, but a batch takes the oldest buffered records of all of them, so a thread that
 * reads four partitions still fills a batch of {@code batch.max} when each partition holds a quarter of
 * one. Each task forwards the answers to its own records and deletes its own buffer entries itself, at
 * its next record or punctuation ({@link MicroBatchProcessor}); a task's store is only ever written by
 * that task.
 *
 * <p>Batches run on runner threads, not on the stream thread: while the model answers a batch the
 * stream thread goes on polling, decoding, buffering and committing, and the next batch forms. There is
 * a runner per model replica ({@link BatchStage#parallelism()}), and at most one more batch than runners
 * is submitted (one waiting); a partial batch is submitted only when a runner is free, so under load
 * batches grow towards {@code batch.max} by themselves, and at low load a record waits at most its
 * linger. Answers are handed to the tasks in the order their batches were submitted. Exactly-once holds
 * as before: a record taken into a batch keeps its store entry until its answer is forwarded in its task's
 * transaction, so a commit in between commits it as buffered, and after a crash it is answered again from
 * the restored store.
 *
 * <p>One instance per stream thread and store name (the localizer's and the focus worker's buffers
 * never share a batch), reached through a thread-local: Kafka Streams runs a task's processors on the
 * thread that owns it.
 */
final class ThreadBatches<T> {
    private static final ThreadLocal<Map<String, ThreadBatches<?>>> BY_THREAD = ThreadLocal.withInitial(HashMap::new);

    /** A submitted batch: the tasks' shares and the stage's answers, in the batch's order. */
    record InFlight<T>(List<MicroBatchProcessor.Share<T>> shares, CompletableFuture<List<List<Routed>>> answers) {}

    private final List<MicroBatchProcessor<T>> members = new CopyOnWriteArrayList<>();
    private final Deque<InFlight<T>> inFlight = new ArrayDeque<>();
    private final Executor runner;
    private final boolean asynchronous;
    private final String key;
    /** Batches that may run at once (1 when synchronous). */
    private final int runners;

    private ThreadBatches(Executor runner, boolean asynchronous, String key, int runners) {
        this.runner = runner;
        this.asynchronous = asynchronous;
        this.key = key;
        this.runners = runners;
    }

    /**
     * The batches of the calling stream thread for {@code storeName}; {@code asynchronous}: run on
     * {@code parallelism} runner threads of their own (the apps), else on the stream thread, synchronously
     * (unit tests).
     */
    @SuppressWarnings("unchecked")
    static <T> ThreadBatches<T> ofThisThread(String storeName, boolean asynchronous, int parallelism) {
        int runners = asynchronous ? Math.max(1, parallelism) : 1;
        return (ThreadBatches<T>) BY_THREAD.get().computeIfAbsent(storeName + "/" + asynchronous,
                n -> new ThreadBatches<T>(asynchronous ? runnersFor(Thread.currentThread().getName(), runners) : Runnable::run,
                        asynchronous, n, runners));
    }

    private static ExecutorService runnersFor(String streamThread, int runners) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return Executors.newFixedThreadPool(runners, r -> {
            int n = count.getAndIncrement();
            Thread t = new Thread(r, streamThread + "-batches" + (n == 0 ? "" : "-" + n));
            t.setDaemon(true);
            return t;
        });
    }

    void join(MicroBatchProcessor<T> member) {
        if (!members.contains(member)) {
            members.add(member);
        }
    }

    /**
     * The last task to leave (all revoked, the thread shutting down or replaced) ends the runner: batches in
     * flight belong to closed tasks, whose answers are dropped anyway; the next task to join starts afresh.
     */
    void leave(MicroBatchProcessor<T> member) {
        members.remove(member);
        if (members.isEmpty()) {
            inFlight.clear();
            if (runner instanceof ExecutorService service) {
                service.shutdown();
            }
            BY_THREAD.get().remove(key, this);
        }
    }

    /** The batches of the calling thread, for every store (none on a thread that runs no batching task). */
    static java.util.Collection<ThreadBatches<?>> allOfThisThread() {
        return BY_THREAD.get().values();
    }

    /** The oldest batch in flight (the next one {@link #collect} hands over), or null when none runs. */
    CompletableFuture<?> oldestInFlight() {
        InFlight<T> oldest = inFlight.peekFirst();
        return oldest == null ? null : oldest.answers();
    }

    /** Whether a task of the thread has answers to forward, or the oldest batch's answers wait to be collected. */
    boolean answersReady() {
        CompletableFuture<?> oldest = oldestInFlight();
        if (oldest != null && oldest.isDone()) {
            return true;
        }
        for (MicroBatchProcessor<T> m : members) {
            if (m.hasAnswersToForward()) {
                return true;
            }
        }
        return false;
    }

    /** Wall-clock ms at which a punctuation would submit the queued records (their linger over); MAX_VALUE if none. */
    long lingerEndsAt() {
        long at = Long.MAX_VALUE;
        for (MicroBatchProcessor<T> m : members) {
            at = Math.min(at, m.lingerEndsAt());
        }
        return at;
    }

    /** Records buffered by the thread's tasks and not yet in a batch. */
    int pending() {
        int n = 0;
        for (MicroBatchProcessor<T> m : members) {
            n += m.queued();
        }
        return n;
    }

    int inFlight() {
        return inFlight.size();
    }

    /** Whether a runner would start a batch submitted now. */
    boolean runnerFree() {
        return inFlight.size() < runners;
    }

    /** Runners that would start a batch submitted now. */
    int freeRunners() {
        return Math.max(0, runners - inFlight.size());
    }

    /** Wall-clock ms at which the oldest queued record of the thread's tasks was admitted. */
    long oldestEnqueuedAt() {
        long oldest = Long.MAX_VALUE;
        for (MicroBatchProcessor<T> m : members) {
            oldest = Math.min(oldest, m.oldestQueuedAt());
        }
        return oldest;
    }

    /**
     * How many of its oldest queued records each task gives to the next batch: the thread's oldest (up to
     * {@code max}) queued records, counted by task.
     */
    Map<MicroBatchProcessor<T>, Integer> oldest(int max) {
        List<MicroBatchProcessor<T>> tasks = new ArrayList<>(members);
        List<long[]> heads = new ArrayList<>(); // {admitted at, offset, task index}
        for (int i = 0; i < tasks.size(); i++) {
            for (long[] entry : tasks.get(i).queuedTimes()) {
                heads.add(new long[] {entry[0], entry[1], i});
            }
        }
        heads.sort(Comparator.<long[]>comparingLong(h -> h[0]).thenComparingLong(h -> h[1]));
        Map<MicroBatchProcessor<T>, Integer> take = new LinkedHashMap<>();
        for (long[] h : heads.subList(0, Math.min(max, heads.size()))) {
            take.merge(tasks.get((int) h[2]), 1, Integer::sum);
        }
        return take;
    }

    /** Submits a batch (the stage call runs on a runner); waits for the oldest first when one is already waiting. */
    void submit(List<MicroBatchProcessor.Share<T>> shares, BatchStage<T> stage, List<BatchStage.Pending<T>> batch, long now) {
        while (inFlight.size() >= runners + 1) {
            deliverOldest();
        }
        // the stage's clock (answers' classified_at, deadlines) is the time the batch starts on the runner
        CompletableFuture<List<List<Routed>>> answers = batch.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : CompletableFuture.supplyAsync(() -> stage.flush(batch, asynchronous ? System.currentTimeMillis() : now),
                        runner);
        inFlight.addLast(new InFlight<>(shares, answers));
    }

    /** Hands the answers of finished batches, oldest first, to their tasks; {@code waitForAll}: of all. */
    void collect(boolean waitForAll) {
        while (!inFlight.isEmpty() && (waitForAll || inFlight.peekFirst().answers().isDone())) {
            deliverOldest();
        }
    }

    /** Waits for the oldest batch in flight and hands its answers to its tasks. */
    private void deliverOldest() {
        InFlight<T> batch = inFlight.peekFirst();
        List<List<Routed>> answers;
        try {
            answers = batch.answers().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            inFlight.clear();
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException("a batch failed", cause);
        }
        inFlight.pollFirst();
        int size = batch.shares().stream().mapToInt(s -> s.to() - s.from()).sum();
        if (answers.size() != size) {
            throw new IllegalStateException("stage answered " + answers.size() + " of " + size + " records");
        }
        for (MicroBatchProcessor.Share<T> share : batch.shares()) {
            share.task().answered(share, answers.subList(share.from(), share.to()));
        }
    }
}
