package io.lfvit.app.control;

import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.serde.DecodeResult;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime settings (eta, focus deadline) as the applications see them: the global store that
 * mirrors the compacted {@code lfvit-control} topic, looked up per record as source override, else
 * global value, else the application's default. The store keeps the topic's raw bytes (a global
 * store is restored byte for byte from its topic); they are decoded here and the decoded update is
 * cached until the bytes change. A control record that does not decode is logged and ignored.
 */
public final class ControlTable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlTable.class);

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final BiFunction<String, byte[], DecodeResult<ControlUpdate>> decoder;
    private final String topic;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(byte[] bytes, ControlUpdate update) {}

    public ControlTable(ReadOnlyKeyValueStore<String, byte[]> store, String topic,
            BiFunction<String, byte[], DecodeResult<ControlUpdate>> decoder) {
        this.store = store;
        this.topic = topic;
        this.decoder = decoder;
    }

    /** eta for {@code sourceId}: its override, else the global value, else {@code fallback}. */
    public double eta(String sourceId, double fallback) {
        return update(ControlKeys.forSource(sourceId))
                .or(() -> update(ControlKeys.GLOBAL))
                .map(ControlUpdate::getEta)
                .orElse(fallback);
    }

    /** The focus deadline (ms after capture, 0 = none) for {@code sourceId}. */
    public long deadlineMs(String sourceId, long fallback) {
        return setting(ControlKeys.forSource(sourceId)).or(() -> setting(ControlKeys.GLOBAL)).orElse(fallback);
    }

    private Optional<Long> setting(String key) {
        return update(key).map(u -> u.getSettings().get(ControlKeys.DEADLINE_MS)).flatMap(v -> {
            try {
                return Optional.of(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                LOG.warn("ignoring control setting {}={} under {}: not a number", ControlKeys.DEADLINE_MS, v, key);
                return Optional.empty();
            }
        });
    }

    private Optional<ControlUpdate> update(String key) {
        byte[] bytes = store.get(key);
        if (bytes == null) {
            cache.remove(key);
            return Optional.empty();
        }
        Cached cached = cache.get(key);
        if (cached != null && Arrays.equals(cached.bytes(), bytes)) {
            return Optional.ofNullable(cached.update());
        }
        DecodeResult<ControlUpdate> result = decoder.apply(topic, bytes);
        ControlUpdate update = null;
        if (result instanceof DecodeResult.Success<ControlUpdate> success) {
            update = validEta(key, success.value());
        } else if (result instanceof DecodeResult.Failure<ControlUpdate> failure) {
            LOG.warn("ignoring control record {} that does not decode: {}", key, failure.error().getMessage());
        }
        cache.put(key, new Cached(bytes, update));
        return Optional.ofNullable(update);
    }

    private static ControlUpdate validEta(String key, ControlUpdate update) {
        if (update == null || !(update.getEta() >= 0 && update.getEta() <= 1)) {
            LOG.warn("ignoring control record {}: eta {} outside [0, 1]", key, update == null ? null : update.getEta());
            return null;
        }
        return update;
    }
}
