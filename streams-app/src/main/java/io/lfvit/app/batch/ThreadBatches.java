package io.lfvit.app.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The batches of one stream thread: every task (input partition) of the thread buffers in its own
 * changelogged store, but a batch takes the oldest buffered records of all of them, so a thread that
 * reads four partitions still fills a batch of {@code batch.max} when each partition holds a quarter of
 * one. The model runs once, on the thread of the task that triggered the flush; each task forwards the
 * answers to its own records and deletes its own buffer entries, itself: at once when it triggered the
 * flush, else at its next punctuation or record ({@link MicroBatchProcessor}). A task's store is only
 * ever written by that task, so exactly-once holds as before: an answered record whose answer is not yet
 * forwarded is still in its task's store and is answered again after a crash.
 *
 * <p>One instance per stream thread and store name (the localizer's and the focus worker's buffers
 * never share a batch), reached through a thread-local: Kafka Streams runs a task's processors on the
 * thread that owns it.
 */
final class ThreadBatches<T> {
    private static final ThreadLocal<Map<String, ThreadBatches<?>>> BY_THREAD = ThreadLocal.withInitial(HashMap::new);

    private final List<MicroBatchProcessor<T>> members = new CopyOnWriteArrayList<>();

    @SuppressWarnings("unchecked")
    static <T> ThreadBatches<T> ofThisThread(String storeName) {
        return (ThreadBatches<T>) BY_THREAD.get().computeIfAbsent(storeName, n -> new ThreadBatches<T>());
    }

    void join(MicroBatchProcessor<T> member) {
        if (!members.contains(member)) {
            members.add(member);
        }
    }

    void leave(MicroBatchProcessor<T> member) {
        members.remove(member);
    }

    /** Records buffered by the thread's tasks and not yet in a batch. */
    int pending() {
        int n = 0;
        for (MicroBatchProcessor<T> m : members) {
            n += m.queued();
        }
        return n;
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
}
