package io.lfvit.app.kafka;

import io.lfvit.app.batch.InputRecord;
import io.lfvit.app.batch.InputRecordSerde;
import io.lfvit.app.control.ControlStoreUpdater;
import io.lfvit.app.control.ControlTable;
import io.lfvit.app.topics.Topic;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.ControlUpdate;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/** The state stores both applications use: the changelogged batch buffer and the global control store. */
public final class Stores {
    public static final String CONTROL_STORE = "control-store";

    private Stores() {}

    /** Persistent, changelogged (the EOS guarantee of buffered records rests on its changelog). */
    public static StoreBuilder<KeyValueStore<Long, InputRecord>> buffer(String name, int maxMessageBytes) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name), Serdes.Long(), new InputRecordSerde())
                .withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes)))
                .withCachingDisabled();
    }

    /** Adds the global store that mirrors the compacted control topic (raw bytes, decoded on lookup). */
    public static void addControlStore(Topology topology, Topic<String, byte[]> controlRaw) {
        StoreBuilder<KeyValueStore<String, byte[]>> store = org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(CONTROL_STORE), Serdes.String(),
                        Serdes.ByteArray())
                .withLoggingDisabled();
        topology.addGlobalStore(store, "control-source", controlRaw.keySerde().deserializer(),
                controlRaw.valueSerde().deserializer(), controlRaw.name(), "control-store-updater",
                () -> new ControlStoreUpdater(CONTROL_STORE));
    }

    /** How a stage finds the control table once its task is initialised. */
    public static Function<ProcessingContext, ControlTable> controlTable(Topic<String, ControlUpdate> control) {
        return context -> new ControlTable(context.getStateStore(CONTROL_STORE), control.name(),
                Topics.avro(control)::decode);
    }
}
