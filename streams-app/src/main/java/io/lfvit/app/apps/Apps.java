package io.lfvit.app.apps;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.focus.FocusTopology;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.kafka.StreamsService;
import io.lfvit.app.localizer.LocalizerTopology;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.topics.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;

/** Builds the two deployables: the localizer and the focus worker, each a Kafka Streams application. */
public final class Apps {
    private Apps() {}

    public static StreamsService localizer(AppConfig config, Topics topics, InferenceExecutor model, Metrics metrics) {
        String id = config.string(AppConfig.LOCALIZER_APPLICATION_ID);
        model.recordTimes(metrics);
        StreamsService s = new StreamsService("localizer", LocalizerTopology.build(config, topics, model, metrics),
                StreamsProps.forApp(config, id));
        new KafkaStreamsMetrics(s.streams()).bindTo(metrics.registry());
        return s;
    }

    public static StreamsService focusWorker(AppConfig config, Topics topics, InferenceExecutor model, Metrics metrics) {
        String id = config.string(AppConfig.FOCUS_APPLICATION_ID);
        model.recordTimes(metrics);
        StreamsService s = new StreamsService("focus-worker", FocusTopology.build(config, topics, model, metrics),
                StreamsProps.forApp(config, id));
        new KafkaStreamsMetrics(s.streams()).bindTo(metrics.registry());
        return s;
    }

    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
}
