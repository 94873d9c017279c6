package io.lfvit.schemas.registry.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lfvit.schemas.registry.CompatibilityLevel;
import io.lfvit.schemas.registry.embedded.RegistryLogRecord.ConfigEntry;
import io.lfvit.schemas.registry.embedded.RegistryLogRecord.SchemaEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Keys and values of the schemas topic, in the JSON shapes Confluent's registry writes to its own
 * {@code _schemas} topic. Keys are byte-for-byte stable (fixed field order), which is what lets
 * compaction keep exactly the newest record per subject version and per config scope.
 */
final class KafkaStoreFormat {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaStoreFormat() {}

    static byte[] key(RegistryLogRecord record) {
        ObjectNode key = JSON.createObjectNode();
        if (record instanceof SchemaEntry entry) {
            key.put("keytype", "SCHEMA").put("subject", entry.subject()).put("version", entry.version()).put("magic", 1);
        } else if (record instanceof ConfigEntry entry) {
            key.put("keytype", "CONFIG").put("subject", entry.subject()).put("magic", 0);
        }
        return bytes(key);
    }

    static byte[] value(RegistryLogRecord record) {
        ObjectNode value = JSON.createObjectNode();
        if (record instanceof SchemaEntry entry) {
            value.put("subject", entry.subject()).put("version", entry.version()).put("id", entry.id())
                    .put("schema", entry.schema()).put("deleted", entry.deleted());
        } else if (record instanceof ConfigEntry entry) {
            value.put("compatibilityLevel", entry.level().name());
        }
        return bytes(value);
    }

    /**
     * The record, or empty for tombstones and the record kinds this registry does not use (NOOP,
     * MODE, DELETE_SUBJECT, non-Avro schemas) that a Confluent registry may have left in the topic.
     */
    static Optional<RegistryLogRecord> decode(byte[] keyBytes, byte[] valueBytes) throws IOException {
        if (keyBytes == null || valueBytes == null) {
            return Optional.empty();
        }
        JsonNode key = JSON.readTree(keyBytes);
        JsonNode value = JSON.readTree(valueBytes);
        switch (key.path("keytype").asText()) {
            case "SCHEMA" -> {
                if (!value.path("schemaType").asText("AVRO").equals("AVRO")) {
                    return Optional.empty();
                }
                return Optional.of(new SchemaEntry(value.get("subject").asText(), value.get("version").asInt(),
                        value.get("id").asInt(), value.get("schema").asText(), value.path("deleted").asBoolean(false)));
            }
            case "CONFIG" -> {
                JsonNode level = value.get("compatibilityLevel");
                if (level == null || level.isNull()) {
                    return Optional.empty();
                }
                JsonNode subject = key.get("subject");
                return Optional.of(new ConfigEntry(subject == null || subject.isNull() ? null : subject.asText(),
                        CompatibilityLevel.parse(level.asText())));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
