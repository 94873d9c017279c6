package io.lfvit.app.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Kafka Streams application with a small lifecycle: start() returns once it is RUNNING. */
public final class StreamsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);

    private final String name;
    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger rebalances = new java.util.concurrent.atomic.AtomicInteger();

    public StreamsService(String name, Topology topology, Properties props) {
        this.name = name;
        this.streams = new KafkaStreams(topology, props);
        streams.setStateListener((now, before) -> {
            LOG.info("{}: {} -> {}", name, before, now);
            if (now == KafkaStreams.State.REBALANCING) {
                rebalances.incrementAndGet();
            }
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("{}: stream thread failed; replacing it", name, e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    public StreamsService start(Duration timeout) {
        streams.start();
        try {
            if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " not RUNNING after " + timeout + " (state " + streams.state() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Healthy while running or rebalancing (a rebalance is part of normal life). */
    public boolean healthy() {
        KafkaStreams.State s = streams.state();
        return s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
    }

    /** Times this instance entered REBALANCING (the first assignment included). */
    public int rebalances() {
        return rebalances.get();
    }

    /** Active tasks of this instance (e.g. "0_1"), to see how partitions were shared out. */
    public java.util.Set<String> activeTasks() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        streams.metadataForLocalThreads().forEach(t -> t.activeTasks().forEach(task -> out.add(task.taskId().toString())));
        return out;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }

    /**
     * Closes and leaves the consumer group now. Kafka Streams stays a member after a plain close (so
     * a bounced instance of a scaled-out app gets its tasks back without a rebalance), and a
     * restarted single instance then waits out the old member's session timeout (~45 s) before it
     * runs: right for {@code lfvit dev} with a kept data directory.
     */
    public void closeAndLeaveGroup() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
