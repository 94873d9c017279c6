package io.lfvit.app.topics;

import org.apache.kafka.common.serialization.Serde;

/** A topic name paired with its serdes: the only place a topology gets a serde from. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
