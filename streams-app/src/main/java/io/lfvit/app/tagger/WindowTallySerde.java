package io.lfvit.app.tagger;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for the tagger's window store and its changelog: an internal format that only the tagger reads,
 * so it needs no registered schema (the output, FrameTags, is the contract).
 */
final class WindowTallySerde implements Serde<WindowTally> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Serializer<WindowTally> serializer() {
        return (topic, tally) -> {
            if (tally == null) {
                return null;
            }
            try {
                return JSON.writeValueAsBytes(tally);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public Deserializer<WindowTally> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return JSON.readValue(bytes, WindowTally.class);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable window tally in " + topic, e);
            }
        };
    }
}
