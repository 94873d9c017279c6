package io.lfvit.app.tagger;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.topics.Topics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The tagger (its own application id): {@code classifications} -&gt; per source and tumbling event-time
 * window (capture time; {@code tagger.window.ms}, grace {@code tagger.grace.ms}) -&gt; one final
 * {@code FrameTags} per window on {@code frame-tags}, written once the window has closed; what does not
 * decode goes to the dead-letter topic.
 *
 * <pre>
 *   classifications-source (event time = capture_time)
 *     --&gt; gate (decode; too late: counted, dropped; late within grace: flagged)
 *           +--&gt; dead letters --&gt; images-dlq
 *           +--&gt; frame-tags-aggregate [frame-tags-windows] --&gt; until-window-closes --&gt; frame-tags
 * </pre>
 */
public final class TaggerTopology {
    public static final String WINDOW_STORE = "frame-tags-windows";

    private TaggerTopology() {}

    public static Topology build(AppConfig config, Topics topics, TaggerMetrics metrics) {
        long windowMs = config.longValue(AppConfig.TAGGER_WINDOW_MS);
        long graceMs = config.longValue(AppConfig.TAGGER_GRACE_MS);
        var answerSerde = Topics.avro(topics.classifications());
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, GateResult> gated = builder
                .stream(topics.classificationsRaw().name(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withTimestampExtractor(new CaptureTimeExtractor(answerSerde)).withName("classifications-source"))
                .processValues(() -> new FrameGate(answerSerde, windowMs, graceMs, metrics), Named.as("gate"));
        gated.split(Named.as("gate-"))
                .branch((source, r) -> r.isDead(), Branched.withConsumer(dead -> dead
                        .mapValues(GateResult::deadLetter, Named.as("dead-letter"))
                        .to(topics.deadLetters().name(), Produced.with(topics.deadLetters().keySerde(),
                                topics.deadLetters().valueSerde()).withName("dead-letters-sink")), "dead"))
                .defaultBranch(Branched.withConsumer(answers -> windows(answers, topics, windowMs, graceMs, metrics),
                        "answers"));
        return builder.build();
    }

    private static void windows(KStream<String, GateResult> answers, Topics topics, long windowMs, long graceMs,
            TaggerMetrics metrics) {
        answers.groupByKey(Grouped.<String, GateResult>as("by-source").withKeySerde(Serdes.String()))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(windowMs), Duration.ofMillis(graceMs)))
                .aggregate(WindowTally::new, (source, r, tally) -> tally.add(r.answer(), r.late()),
                        Named.as("frame-tags-aggregate"),
                        Materialized.<String, WindowTally, WindowStore<Bytes, byte[]>>as(WINDOW_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(new WindowTallySerde()))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("until-window-closes"))
                .toStream(Named.as("closed-windows"))
                .map((w, tally) -> {
                    metrics.window();
                    return KeyValue.pair(w.key(), tally.toFrameTags(w.key(), w.window().start(), w.window().end(),
                            System.currentTimeMillis()));
                }, Named.as("frame-tags"))
                .to(topics.frameTags().name(), Produced.with(topics.frameTags().keySerde(), topics.frameTags().valueSerde())
                        .withName("frame-tags-sink"));
    }
}
