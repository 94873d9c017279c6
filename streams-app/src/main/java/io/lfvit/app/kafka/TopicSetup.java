package io.lfvit.app.kafka;

import io.lfvit.app.config.AppConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
        return topics;
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
