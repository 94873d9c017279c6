package io.lfvit.app.kafka;

import io.lfvit.app.config.AppConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the product's topics when they are missing: {@code images} (keyed by source, sized for
 * large images), {@code classifications}, {@code focus-tasks}, the compacted {@code lfvit-control}
 * (one partition) and {@code images-dlq} (room for an oversize image plus its envelope).
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {}

    public static List<NewTopic> topics(AppConfig config) {
        int partitions = config.integer(AppConfig.TOPIC_PARTITIONS);
        short rf = (short) config.integer(AppConfig.TOPIC_REPLICATION);
        String max = String.valueOf(config.topicMaxMessageBytes());
        String dlqMax = String.valueOf(config.topicMaxMessageBytes() + StreamsProps.DEAD_LETTER_HEADROOM);
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(config.string(AppConfig.TOPIC_IMAGES), partitions, rf)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, max)));
        topics.add(new NewTopic(config.string(AppConfig.TOPIC_CLASSIFICATIONS), partitions, rf));
        topics.add(new NewTopic(config.string(AppConfig.TOPIC_FOCUS_TASKS), partitions, rf)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, max)));
        topics.add(new NewTopic(config.string(AppConfig.TOPIC_CONTROL), 1, rf)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        topics.add(new NewTopic(config.string(AppConfig.TOPIC_DLQ), partitions, rf)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, dlqMax)));
        topics.add(new NewTopic(config.string(AppConfig.TOPIC_FRAME_TAGS), partitions, rf));
        return topics;
    }

    /** How long a command line tool waits for Kafka's answers before it gives up with a message. */
    public static final Duration TOOL_TIMEOUT = Duration.ofSeconds(15);

    /**
     * Makes sure topic {@code name} (one of {@link #topics}) exists before a command line tool writes to
     * it: creates it with the app's settings when {@code topic.create} is true. Fails within about
     * {@code timeout} with a {@link TopicUnavailableException} saying in one line what is missing, instead
     * of a producer blocking on metadata (or, on a broker that auto-creates topics, creating the topic with
     * the broker's defaults, e.g. not compacted).
     *
     * @return true when this call created the topic
     */
    public static boolean require(AppConfig config, String name, Duration timeout) {
        NewTopic wanted = topics(config).stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " is not one of the product's topics"));
        try (Admin admin = Admin.create(toolProps(config, timeout))) {
            if (exists(admin, config, name, timeout)) {
                return false;
            }
            if (!Boolean.parseBoolean(config.string(AppConfig.TOPIC_CREATE))) {
                throw new TopicUnavailableException("topic " + name + " does not exist on " + config.bootstrapServers()
                        + " and topic.create is false: create it (" + describe(wanted) + ") or allow it with topic.create=true");
            }
            try {
                admin.createTopics(List.of(wanted)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                awaitServed(admin, List.of(wanted), timeout);
                LOG.info("created topic {}", name);
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return false;
                }
                throw new TopicUnavailableException("cannot create topic " + name + " (" + describe(wanted) + ") on "
                        + config.bootstrapServers() + ": " + oneLine(e.getCause()));
            } catch (TimeoutException e) {
                throw new TopicUnavailableException("cannot create topic " + name + " on " + config.bootstrapServers()
                        + ": no answer in " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the broker serves every partition of {@code created}. A topic's creation is acknowledged
     * once the controller has recorded it, which can be before the partition's leader has opened its log.
     * An idempotent producer whose first batch lands in that gap gets NOT_LEADER_OR_FOLLOWER; if a later batch
     * of the same partition is appended meanwhile, every retry of the first is refused
     * (OUT_OF_ORDER_SEQUENCE_NUMBER) until its delivery timeout, and its records are lost (KAFKA-15591; with
     * Kafka 4.3.1 here, 6 of 60 new 4-partition topics filled flat out at once). A partition's end offset is
     * only answered by a leader that has its log.
     */
    static void awaitServed(Admin admin, List<NewTopic> created, Duration timeout) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (NewTopic t : created) {
            for (int p = 0; p < t.numPartitions(); p++) {
                ends.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                admin.listOffsets(ends).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (!(cause instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new TopicUnavailableException("topics " + created.stream().map(NewTopic::name).toList()
                            + " were created but their partitions are not served after " + timeout.toSeconds() + " s: "
                            + oneLine(cause));
                }
                Thread.sleep(20);
            }
        }
    }

    /** Whether topic {@code name} exists; a {@link TopicUnavailableException} when Kafka does not answer in time. */
    public static boolean exists(AppConfig config, String name, Duration timeout) {
        try (Admin admin = Admin.create(toolProps(config, timeout))) {
            return exists(admin, config, name, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean exists(Admin admin, AppConfig config, String name, Duration timeout) throws InterruptedException {
        try {
            return admin.listTopics().names().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).contains(name);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TopicUnavailableException("no answer from Kafka at " + config.bootstrapServers()
                    + " (is it running, and is bootstrap.servers right?): " + oneLine(cause));
        }
    }

    /** Client settings with short timeouts, unless the configuration sets them ({@code kafka.*}). */
    private static Properties toolProps(AppConfig config, Duration timeout) {
        Properties props = StreamsProps.client(config);
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        // The admin client refuses a request timeout above the API timeout.
        long apiTimeout = Long.parseLong(String.valueOf(props.get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)));
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(apiTimeout, 10_000)));
        return props;
    }

    private static String describe(NewTopic t) {
        return t.numPartitions() + (t.numPartitions() == 1 ? " partition" : " partitions")
                + ", replication " + t.replicationFactor()
                + (t.configs() == null || t.configs().isEmpty() ? "" : ", " + new TreeMap<>(t.configs()).toString()
                        .replace("{", "").replace("}", ""));
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().findFirst().orElse("");
    }

    /** Creates what is missing (when {@code topic.create} is true); existing topics are left alone. */
    public static void ensure(AppConfig config) {
        if (!Boolean.parseBoolean(config.string(AppConfig.TOPIC_CREATE))) {
            return;
        }
        Properties props = StreamsProps.client(config);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics(config).stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                awaitServed(admin, missing, Duration.ofSeconds(30));
                LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics on " + config.bootstrapServers() + ": " + e, e);
        }
    }
}
