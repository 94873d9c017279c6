package io.lfvit.app.localizer;

import io.lfvit.app.batch.MicroBatchProcessor;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.image.ImageDecoder;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.Stores;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.topics.Topics;
import io.lfvit.model.ModelConfig;
import org.apache.kafka.streams.Topology;

/**
 * The localizer: {@code images} (raw bytes) -&gt; localization (decode, buffer, batch, localize, route)
 * -&gt; {@code classifications} | {@code focus-tasks} | {@code images-dlq}, with the global control store
 * for eta.
 *
 * <pre>
 *   images-source --&gt; localization [localization-buffer] --+--&gt; classifications-sink
 *                          ^ control-store (global)      +--&gt; focus-tasks-sink
 *                                                        +--&gt; dead-letters-sink
 * </pre>
 */
public final class LocalizerTopology {
    public static final String SOURCE = "images-source";
    public static final String PROCESSOR = "localization";
    public static final String BUFFER_STORE = "localization-buffer";

    private LocalizerTopology() {}

    /**
     * Threads that decode JPEG/PNG images while the stream thread reads on and the model runs: a camera
     * frame takes longer to decode than the model takes to localize it. Daemon threads, one pool per
     * topology (its tasks share it), sized {@code decode.threads} (0 = the cores); a thread idle for a
     * minute ends, so a topology built for a while (the start-up rehearsal) leaves no threads behind.
     */
    static java.util.concurrent.ExecutorService decodePool(int threads) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(n, n, 60,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "lfvit-decode-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public static Topology build(AppConfig config, Topics topics, InferenceExecutor model, Metrics metrics) {
        ModelConfig mc = model.config();
        ImageDecoder decoder = new ImageDecoder(mc.imageSize(), mc.channels(), config.imageMaxBytes(), config.imageMaxPixels(),
                config.imagePartial());
        LocalizerSinks sinks = LocalizerSinks.DEFAULT;
        java.util.concurrent.Executor decodes = decodePool(config.decodeThreads());
        Topology topology = new Topology();
        Stores.addControlStore(topology, topics.controlRaw());
        topology.addSource(SOURCE, topics.imagesRaw().keySerde().deserializer(), topics.imagesRaw().valueSerde().deserializer(),
                topics.imagesRaw().name());
        topology.addProcessor(PROCESSOR, () -> new MicroBatchProcessor<>(BUFFER_STORE,
                new LocalizationStage(model, Topics.avro(topics.images()), decoder, decodes, Stores.controlTable(topics.control()), sinks,
                        metrics, config.topK(), config.focusDeadlineMs(), config.imageMaxBytes()),
                config.batchMax(), config.batchLingerMs(), metrics.batchObserver(LocalizationStage.NAME),
                config.batchOverlap()), SOURCE);
        topology.addStateStore(Stores.buffer(BUFFER_STORE, config.topicMaxMessageBytes()), PROCESSOR);
        topology.addSink(sinks.classifications(), topics.classifications().name(),
                topics.classifications().keySerde().serializer(), topics.classifications().valueSerde().serializer(), PROCESSOR);
        topology.addSink(sinks.focusTasks(), topics.focusTasks().name(), topics.focusTasks().keySerde().serializer(),
                topics.focusTasks().valueSerde().serializer(), PROCESSOR);
        topology.addSink(sinks.deadLetters(), topics.deadLetters().name(), topics.deadLetters().keySerde().serializer(),
                topics.deadLetters().valueSerde().serializer(), PROCESSOR);
        return topology;
    }
}
