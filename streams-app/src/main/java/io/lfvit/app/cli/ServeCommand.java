package io.lfvit.app.cli;

import io.lfvit.app.apps.Apps;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.StreamsService;
import io.lfvit.app.kafka.TopicSetup;
import io.lfvit.app.metrics.HttpEndpoints;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.serde.AvroSerdes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;

/** Runs one application (localizer or focus worker) until the process is stopped. */
final class ServeCommand {
    private ServeCommand() {}

    interface Factory {
        StreamsService create(AppConfig config, Topics topics, InferenceExecutor model, Metrics metrics);
    }

    static int serve(String name, AppConfig config, Factory factory) throws Exception {
        System.err.printf("lfvit %s: kafka %s, schema registry %s, model %s, device %s, batch.max %d, linger %d ms%n", name,
                config.bootstrapServers(), config.schemaRegistryUrl(), config.modelDir(), config.device(),
                config.batchMax(), config.batchLingerMs());
        TopicSetup.ensure(config);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics metrics = new Metrics(prometheus);
        CountDownLatch stop = new CountDownLatch(1);
        try (AvroSerdes serdes = new AvroSerdes(config.serdeConfig());
                InferenceExecutor model = InferenceExecutor.load(config.modelDir(), config.device(), config.modelWindow());
                StreamsService app = factory.create(config, new Topics(config, serdes), model, metrics)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                stop.countDown();
            }, "lfvit-shutdown"));
            app.start(Apps.START_TIMEOUT);
            try (HttpEndpoints http = config.httpPort() >= 0
                    ? HttpEndpoints.start(config.httpPort(), prometheus,
                            () -> new HttpEndpoints.Health(app.healthy(), name + " " + app.state()))
                    : null) {
                System.err.printf("lfvit %s: RUNNING%s%n", name,
                        http == null ? "" : "; metrics on :" + http.port() + "/metrics, health on /health");
                stop.await();
            }
        }
        return 0;
    }
}
