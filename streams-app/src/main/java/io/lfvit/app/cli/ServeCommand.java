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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/** Runs applications (the localizer, the focus worker, or both on the same model replicas) until the process is stopped. */
final class ServeCommand {
    private ServeCommand() {}

    interface Factory {
        StreamsService create(AppConfig config, Topics topics, InferenceExecutor model, Metrics metrics);
    }

    static int serve(String name, AppConfig config, Factory factory) throws Exception {
        return serve(name, config, List.of(factory));
    }

    static int serve(String name, AppConfig config, List<Factory> factories) throws Exception {
        System.err.printf("lfvit %s: kafka %s, schema registry %s, model %s, device %s, batch.max %d, linger %d ms%n", name,
                config.bootstrapServers(), config.schemaRegistryUrl(), config.modelDir(), config.device(),
                config.batchMax(), config.batchLingerMs());
        TopicSetup.ensure(config);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics metrics = new Metrics(prometheus);
        // heap, threads: what a long run must not grow (lfvit faults --soak reads them)
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(prometheus);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(prometheus);
        CountDownLatch stop = new CountDownLatch(1);
        List<StreamsService> apps = new ArrayList<>();
        try (AvroSerdes serdes = new AvroSerdes(config.serdeConfig());
                InferenceExecutor model = InferenceExecutor.load(config)) {
            Topics topics = new Topics(config, serdes);
            for (Factory factory : factories) {
                apps.add(factory.create(config, topics, model, metrics));
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                apps.forEach(StreamsService::close);
                stop.countDown();
            }, "lfvit-shutdown"));
            for (StreamsService app : apps) {
                app.start(Apps.START_TIMEOUT);
            }
            try (HttpEndpoints http = config.httpPort() >= 0
                    ? HttpEndpoints.start(config.httpPort(), prometheus, () -> new HttpEndpoints.Health(
                            apps.stream().allMatch(StreamsService::healthy),
                            apps.stream().map(a -> a.name() + " " + a.state()).collect(Collectors.joining(", "))))
                    : null) {
                System.err.printf("lfvit %s: RUNNING%s%n", name,
                        http == null ? "" : "; metrics on :" + http.port() + "/metrics, health on /health");
                stop.await();
            }
        } finally {
            apps.forEach(StreamsService::close);
        }
        return 0;
    }
}
