package io.lfvit.app.tagger;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.kafka.StreamsService;
import io.lfvit.app.topics.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/** Builds the tagger deployable: a Kafka Streams application of its own (tagger.application.id), exactly-once. */
public final class TaggerApp {
    private TaggerApp() {}

    public static StreamsService create(AppConfig config, Topics topics, TaggerMetrics metrics) {
        StreamsService s = new StreamsService("tagger", TaggerTopology.build(config, topics, metrics),
                StreamsProps.forApp(config, config.string(AppConfig.TAGGER_APPLICATION_ID)));
        new KafkaStreamsMetrics(s.streams()).bindTo(metrics.registry());
        return s;
    }
}
