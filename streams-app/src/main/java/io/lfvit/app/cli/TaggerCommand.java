package io.lfvit.app.cli;

import io.lfvit.app.apps.Apps;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.StreamsService;
import io.lfvit.app.kafka.TopicSetup;
import io.lfvit.app.metrics.HttpEndpoints;
import io.lfvit.app.tagger.TaggerApp;
import io.lfvit.app.tagger.TaggerMetrics;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.serde.AvroSerdes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "tagger", mixinStandardHelpOptions = true,
        description = "Runs the frame tagger (Kafka Streams, application id tagger.application.id, exactly-once): classifications -> "
                + "one FrameTags per source and event-time window (capture time; tagger.window.ms, grace tagger.grace.ms) on frame-tags.")
public final class TaggerCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        AppConfig c = config.load();
        System.err.printf("lfvit tagger: kafka %s, schema registry %s, windows %d ms, grace %d ms, %s -> %s%n",
                c.bootstrapServers(), c.schemaRegistryUrl(), c.longValue(AppConfig.TAGGER_WINDOW_MS),
                c.longValue(AppConfig.TAGGER_GRACE_MS), c.string(AppConfig.TOPIC_CLASSIFICATIONS), c.string(AppConfig.TOPIC_FRAME_TAGS));
        TopicSetup.ensure(c);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CountDownLatch stop = new CountDownLatch(1);
        try (AvroSerdes serdes = new AvroSerdes(c.serdeConfig());
                StreamsService tagger = TaggerApp.create(c, new Topics(c, serdes), new TaggerMetrics(prometheus))) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                tagger.close();
                stop.countDown();
            }, "lfvit-tagger-shutdown"));
            tagger.start(Apps.START_TIMEOUT);
            try (HttpEndpoints http = c.httpPort() >= 0 ? HttpEndpoints.start(c.httpPort(), prometheus,
                    () -> new HttpEndpoints.Health(tagger.healthy(), "tagger " + tagger.state())) : null) {
                System.err.printf("lfvit tagger: RUNNING%s%n", http == null ? "" : "; metrics on :" + http.port() + "/metrics");
                stop.await();
            }
        }
        return 0;
    }
}
