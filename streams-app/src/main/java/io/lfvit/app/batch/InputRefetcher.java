package io.lfvit.app.batch;

import java.util.Collection;
import java.util.Map;

/**
 * Reads buffered records again from their input topic. The buffer's changelog keeps only where each
 * record is (topic, partition, offset) and when it arrived, not its value: the input topic already holds
 * the value, and writing every image or focus task again into the changelog doubled what the broker
 * wrote. Needed only when a task's buffer is restored (after a crash or a move to another instance).
 */
public interface InputRefetcher {

    /** The values at {@code offsets} of {@code topic}-{@code partition}, read committed; absent when gone. */
    Map<Long, byte[]> values(String topic, int partition, Collection<Long> offsets);
}
