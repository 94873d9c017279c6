package io.lfvit.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The form of a schema that goes to the registry: the schema without the Java-only property
 * {@code avro.java.string} that Avro's code generator adds to every string (what Confluent's serializer
 * does with {@code avro.remove.java.properties=true}). Without this a client in any other language
 * that registers or looks up the same {@code .avsc} would get a different schema id than ours. The
 * property changes nothing on the wire.
 */
public final class RegistryForm {
    static final String JAVA_STRING = "avro.java.string";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Schema, Schema> CACHE = new ConcurrentHashMap<>();

    private RegistryForm() {}

    public static Schema of(Schema schema) {
        return CACHE.computeIfAbsent(schema, RegistryForm::strip);
    }

    private static Schema strip(Schema schema) {
        String json = schema.toString();
        if (!json.contains(JAVA_STRING)) {
            return schema;
        }
        try {
            JsonNode tree = JSON.readTree(json);
            removeJavaString(tree);
            return new Schema.Parser().parse(JSON.writeValueAsString(tree));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot re-parse schema " + schema.getFullName(), e);
        }
    }

    private static void removeJavaString(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(JAVA_STRING);
        }
        node.forEach(RegistryForm::removeJavaString);
    }
}
