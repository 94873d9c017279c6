package io.lfvit.app.focus;

import io.lfvit.app.batch.MicroBatchProcessor;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.Stores;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.topics.Topics;
import org.apache.kafka.streams.Topology;

/**
 * The focus worker (its own application id, consumer group and deployment): {@code focus-tasks}
 * -&gt; focus (buffer, batch, focus stage; deadline and version checks) -&gt; {@code classifications} |
 * {@code images-dlq}, with the global control store for per-source deadlines.
 *
 * <pre>
 *   focus-tasks-source --&gt; focus [focus-buffer] --+--&gt; classifications-sink
 *                              ^ control-store      +--&gt; dead-letters-sink
 * </pre>
 */
public final class FocusTopology {
    public static final String SOURCE = "focus-tasks-source";
    public static final String PROCESSOR = "focus";
    public static final String BUFFER_STORE = "focus-buffer";

    private FocusTopology() {}

    public static Topology build(AppConfig config, Topics topics, InferenceExecutor model, Metrics metrics) {
        FocusSinks sinks = FocusSinks.DEFAULT;
        Topology topology = new Topology();
        Stores.addControlStore(topology, topics.controlRaw());
        topology.addSource(SOURCE, topics.focusTasksRaw().keySerde().deserializer(),
                topics.focusTasksRaw().valueSerde().deserializer(), topics.focusTasksRaw().name());
        topology.addProcessor(PROCESSOR, () -> new MicroBatchProcessor<>(BUFFER_STORE,
                new FocusStage(model, Topics.avro(topics.focusTasks()), Stores.controlTable(topics.control()), sinks, metrics,
                        config.topK(), config.focusDeadlineMs(), config.degradeOnVersionMismatch()),
                config.focusBatchMax(model.onGpu()), config.batchLingerMs(), metrics.batchObserver(FocusStage.NAME),
                config.batchOverlap()), SOURCE);
        topology.addStateStore(Stores.buffer(BUFFER_STORE, config.topicMaxMessageBytes()), PROCESSOR);
        topology.addSink(sinks.classifications(), topics.classifications().name(),
                topics.classifications().keySerde().serializer(), topics.classifications().valueSerde().serializer(), PROCESSOR);
        topology.addSink(sinks.deadLetters(), topics.deadLetters().name(), topics.deadLetters().keySerde().serializer(),
                topics.deadLetters().valueSerde().serializer(), PROCESSOR);
        return topology;
    }
}
