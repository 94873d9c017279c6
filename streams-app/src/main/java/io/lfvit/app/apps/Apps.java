package io.lfvit.app.apps;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.focus.FocusTopology;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.kafka.StreamsService;
import io.lfvit.app.localizer.LocalizerTopology;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.rehearsal.RecordPathRehearsal;
import io.lfvit.app.topics.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the two deployables: the localizer and the focus worker, each a Kafka Streams application. */
public final class Apps {
    private static final Logger LOG = LoggerFactory.getLogger(Apps.class);

    private Apps() {}

    public static StreamsService localizer(AppConfig config, Topics topics, InferenceExecutor model, Metrics metrics) {
        String id = config.string(AppConfig.LOCALIZER_APPLICATION_ID);
        RecordPathRehearsal.localizer(config, model);
        model.recordTimes(metrics);
        prepareSchemas("localizer", Topics.avro(topics.images()).prepareToRead(topics.images().name()),
                Topics.avro(topics.classifications()).prepareToWrite(topics.classifications().name()),
                Topics.avro(topics.focusTasks()).prepareToWrite(topics.focusTasks().name()));
        StreamsService s = new StreamsService("localizer", LocalizerTopology.build(config, topics, model, metrics),
                StreamsProps.forApp(config, id));
        new KafkaStreamsMetrics(s.streams()).bindTo(metrics.registry());
        return s;
    }

    public static StreamsService focusWorker(AppConfig config, Topics topics, InferenceExecutor model, Metrics metrics) {
        String id = config.string(AppConfig.FOCUS_APPLICATION_ID);
        RecordPathRehearsal.focusWorker(config, model);
        model.recordTimes(metrics);
        prepareSchemas("focus-worker", Topics.avro(topics.focusTasks()).prepareToRead(topics.focusTasks().name()),
                Topics.avro(topics.classifications()).prepareToWrite(topics.classifications().name()));
        StreamsService s = new StreamsService("focus-worker", FocusTopology.build(config, topics, model, metrics),
                StreamsProps.forApp(config, id));
        new KafkaStreamsMetrics(s.streams()).bindTo(metrics.registry());
        return s;
    }

    /**
     * The registry's answers for what the app reads and writes, asked before its first record rather than
     * by it: an app restarted on a backlog waited for them on its first record (75 ms in the localizer, 330
     * ms in the focus worker, with the HTTP client's start), the two cores idle meanwhile. What cannot be
     * prepared (nothing registered yet, registry down) is asked by the first record, as before.
     */
    @SafeVarargs
    private static void prepareSchemas(String app, Optional<String>... outcomes) {
        int prepared = 0;
        for (Optional<String> notPrepared : outcomes) {
            if (notPrepared.isEmpty()) {
                prepared++;
            }
            notPrepared.ifPresent(why -> LOG.info("{}: a schema is left to its first record ({})", app, why));
        }
        LOG.info("{}: {} of {} schemas looked up before the first record", app, prepared, outcomes.length);
    }

    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
}
