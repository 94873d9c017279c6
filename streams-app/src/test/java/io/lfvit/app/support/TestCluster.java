package io.lfvit.app.support;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.TopicSetup;
import io.lfvit.schemas.registry.embedded.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.MetadataVersion;

/** One real (in-process, KRaft) broker from Kafka's test kit, plus an embedded schema registry over HTTP. */
public final class TestCluster implements AutoCloseable {
    public final KafkaClusterTestKit kafka;
    public final EmbeddedSchemaRegistry registry;
    public final String registryUrl;

    public TestCluster() throws Exception {
        this(Map.of());
    }

    /** A cluster with extra broker settings, e.g. {@code auto.create.topics.enable=false} as in the compose stack. */
    public TestCluster(Map<String, String> brokerSettings) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder(BootstrapMetadata.fromVersion(MetadataVersion.latestProduction(), "test"))
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        brokerSettings.forEach(builder::setConfigProp);
        kafka = builder
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "4")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("log.cleaner.dedupe.buffer.size", "2097152")
                .setConfigProp("message.max.bytes", String.valueOf(20 * 1024 * 1024))
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        registry = EmbeddedSchemaRegistry.builder().build();
        registryUrl = registry.start(0);
    }

    /**
     * A configuration on this cluster with its own topics and application ids ({@code prefix}), so the
     * tests of one class share the broker without seeing each other's records; topics created.
     */
    public AppConfig config(String prefix, Path stateDir, Path modelDir) {
        AppConfig config = configWithoutTopics(prefix, stateDir, modelDir);
        TopicSetup.ensure(config);
        return config;
    }

    /** As {@link #config}, with none of its topics created. */
    public AppConfig configWithoutTopics(String prefix, Path stateDir, Path modelDir) {
        return AppConfig.defaults().withAll(Map.ofEntries(
                Map.entry(AppConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers()),
                Map.entry(AppConfig.SCHEMA_REGISTRY_URL, registryUrl),
                Map.entry(AppConfig.MODEL_DIR, modelDir.toString()),
                Map.entry(AppConfig.DEVICE, "cpu"),
                Map.entry(AppConfig.STATE_DIR, stateDir.toString()),
                Map.entry(AppConfig.TOPIC_IMAGES, prefix + "-images"),
                Map.entry(AppConfig.TOPIC_CLASSIFICATIONS, prefix + "-classifications"),
                Map.entry(AppConfig.TOPIC_FOCUS_TASKS, prefix + "-focus-tasks"),
                Map.entry(AppConfig.TOPIC_CONTROL, prefix + "-control"),
                Map.entry(AppConfig.TOPIC_DLQ, prefix + "-dlq"),
                Map.entry(AppConfig.TOPIC_PARTITIONS, "4"),
                Map.entry(AppConfig.LOCALIZER_APPLICATION_ID, prefix + "-localizer"),
                Map.entry(AppConfig.FOCUS_APPLICATION_ID, prefix + "-focus"),
                Map.entry(AppConfig.TRANSACTION_TIMEOUT_MS, "10000"),
                Map.entry(AppConfig.HTTP_PORT, "-1"),
                Map.entry(AppConfig.BATCH_MAX, "16"),
                Map.entry(AppConfig.BATCH_LINGER_MS, "20")));
    }

    @Override
    public void close() throws Exception {
        registry.close();
        kafka.close();
    }
}
