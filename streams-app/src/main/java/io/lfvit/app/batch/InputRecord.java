package io.lfvit.app.batch;

/**
 * An input record as it arrived, with where it came from: what the buffer store keeps and what a dead
 * letter needs (the original key and value bytes, topic, partition, offset, timestamp).
 *
 * @param enqueuedAtMs wall-clock time the batcher accepted it (for the linger bound)
 */
public record InputRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
        long enqueuedAtMs) {

    /** The key as the source id (UTF-8), or "" when absent. */
    public String keyString() {
        return key == null ? "" : new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }
}
