package io.lfvit.schemas.registry.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.lfvit.schemas.registry.CompatibilityCheck;
import io.lfvit.schemas.registry.CompatibilityLevel;
import io.lfvit.schemas.registry.HttpSchemaRegistryClient;
import io.lfvit.schemas.registry.InvalidRequestException;
import io.lfvit.schemas.registry.NotFoundException;
import io.lfvit.schemas.registry.RegisteredSchema;
import io.lfvit.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent's REST API subset over the JDK HTTP server: subjects and versions, schemas by id,
 * compatibility tests and config, with the same JSON shapes, status codes and error codes.
 */
final class RegistryHttpHandler implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

    private record Reply(int status, JsonNode body) {}

    private record Request(String method, List<String> path, Map<String, String> query, byte[] body) {
        boolean matches(String... pattern) {
            if (path.size() != pattern.length) {
                return false;
            }
            for (int i = 0; i < pattern.length; i++) {
                if (!pattern[i].equals("*") && !pattern[i].equals(path.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final RegistryService registry;

    RegistryHttpHandler(RegistryService registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try {
            reply = route(new Request(exchange.getRequestMethod(), pathSegments(exchange.getRequestURI().getRawPath()),
                    queryParameters(exchange.getRequestURI().getRawQuery()), exchange.getRequestBody().readAllBytes()));
        } catch (SchemaRegistryException e) {
            reply = error(e.httpStatus(), e.errorCode(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Schema registry request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            reply = error(500, 500, "Internal error: " + e);
        }
        byte[] body = JSON.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private Reply route(Request request) {
        if (request.matches()) {
            return get(request, () -> JSON.createObjectNode());
        } else if (request.matches("subjects")) {
            return get(request, () -> strings(registry.getSubjects()));
        } else if (request.matches("subjects", "*")) {
            return post(request, () -> registeredSchema(registry.lookup(request.path().get(1), schemaOf(request))));
        } else if (request.matches("subjects", "*", "versions")) {
            String subject = request.path().get(1);
            if (request.method().equals("POST")) {
                return ok(JSON.createObjectNode().put("id", registry.register(subject, schemaOf(request))));
            }
            return get(request, () -> ints(registry.getVersions(subject)));
        } else if (request.matches("subjects", "*", "versions", "*")) {
            return get(request, () -> registeredSchema(version(request.path().get(1), request.path().get(3))));
        } else if (request.matches("subjects", "*", "versions", "*", "schema")) {
            return get(request, () -> schemaJson(version(request.path().get(1), request.path().get(3)).schema()));
        } else if (request.matches("schemas", "ids", "*")) {
            return get(request, () -> JSON.createObjectNode().put("schema", schemaById(request.path().get(2)).toString()));
        } else if (request.matches("schemas", "ids", "*", "schema")) {
            return get(request, () -> schemaJson(schemaById(request.path().get(2))));
        } else if (request.matches("schemas", "ids", "*", "subjects")) {
            return get(request, () -> strings(usages(request.path().get(2)).stream().map(RegisteredSchema::subject).distinct().toList()));
        } else if (request.matches("schemas", "ids", "*", "versions")) {
            return get(request, () -> subjectVersions(usages(request.path().get(2))));
        } else if (request.matches("schemas", "types")) {
            return get(request, () -> strings(List.of("AVRO")));
        } else if (request.matches("compatibility", "subjects", "*", "versions", "*")) {
            return post(request, () -> compatibility(request));
        } else if (request.matches("config")) {
            if (request.method().equals("PUT")) {
                CompatibilityLevel level = levelOf(request);
                registry.setCompatibility(level);
                return ok(JSON.createObjectNode().put("compatibility", level.name()));
            }
            return get(request, () -> JSON.createObjectNode().put("compatibilityLevel", registry.getCompatibility().name()));
        } else if (request.matches("config", "*")) {
            String subject = request.path().get(1);
            if (request.method().equals("PUT")) {
                CompatibilityLevel level = levelOf(request);
                registry.setCompatibility(subject, level);
                return ok(JSON.createObjectNode().put("compatibility", level.name()));
            }
            return get(request, () -> {
                boolean defaultToGlobal = Boolean.parseBoolean(request.query().get("defaultToGlobal"));
                CompatibilityLevel level = defaultToGlobal
                        ? registry.getCompatibility(subject)
                        : registry.getSubjectCompatibility(subject);
                return JSON.createObjectNode().put("compatibilityLevel", level.name());
            });
        }
        return error(404, 404, "HTTP 404 Not Found");
    }

    private JsonNode compatibility(Request request) {
        String subject = request.path().get(2);
        String version = request.path().get(4);
        Schema schema = schemaOf(request);
        CompatibilityCheck check = isLatest(version)
                ? registry.testCompatibility(subject, schema)
                : registry.testCompatibility(subject, schema, versionNumber(version));
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", check.compatible());
        if (Boolean.parseBoolean(request.query().get("verbose"))) {
            answer.set("messages", strings(check.messages()));
        }
        return answer;
    }

    private RegisteredSchema version(String subject, String version) {
        return isLatest(version) ? registry.getLatest(subject) : registry.getVersion(subject, versionNumber(version));
    }

    private Schema schemaById(String id) {
        try {
            return registry.getById(Integer.parseInt(id));
        } catch (NumberFormatException e) {
            throw new NotFoundException(SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
    }

    private List<RegisteredSchema> usages(String id) {
        schemaById(id);
        return registry.usagesOf(Integer.parseInt(id));
    }

    private static boolean isLatest(String version) {
        return version.equals("latest") || version.equals("-1");
    }

    private static int versionNumber(String version) {
        try {
            int number = Integer.parseInt(version);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, as Confluent does
        }
        throw new InvalidRequestException(SchemaRegistryException.INVALID_VERSION, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    /** The Avro schema of a {@code {"schema": "...", "schemaType": "AVRO"}} request body. */
    private static Schema schemaOf(Request request) {
        JsonNode body = jsonBody(request);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new InvalidRequestException(SchemaRegistryException.INVALID_SCHEMA, "Unsupported schema type " + type + ": only AVRO");
        }
        if (body.path("references").size() > 0) {
            throw new InvalidRequestException(SchemaRegistryException.INVALID_SCHEMA, "Schema references are not supported");
        }
        JsonNode text = body.get("schema");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            throw new InvalidRequestException(SchemaRegistryException.INVALID_SCHEMA, "Empty schema");
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (RuntimeException e) {
            // Avro reports some invalid schemas (e.g. an unknown type name) with other exceptions than SchemaParseException.
            throw new InvalidRequestException(SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    private static CompatibilityLevel levelOf(Request request) {
        JsonNode level = jsonBody(request).get("compatibility");
        return CompatibilityLevel.parse(level == null ? null : level.asText());
    }

    private static JsonNode jsonBody(Request request) {
        try {
            JsonNode body = JSON.readTree(request.body());
            if (body == null || !body.isObject()) {
                throw new SchemaRegistryException(400, 400, "Bad request: the body must be a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new SchemaRegistryException(400, 400, "Bad request: malformed JSON: " + e.getMessage());
        }
    }

    private static Reply get(Request request, Supplier<JsonNode> answer) {
        return request.method().equals("GET") ? ok(answer.get()) : methodNotAllowed();
    }

    private static Reply post(Request request, Supplier<JsonNode> answer) {
        return request.method().equals("POST") ? ok(answer.get()) : methodNotAllowed();
    }

    private static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    private static Reply methodNotAllowed() {
        return error(405, 405, "HTTP 405 Method Not Allowed");
    }

    private static Reply error(int status, int errorCode, String message) {
        return new Reply(status, JSON.createObjectNode().put("error_code", errorCode).put("message", message));
    }

    private static ObjectNode registeredSchema(RegisteredSchema registered) {
        return JSON.createObjectNode().put("subject", registered.subject()).put("version", registered.version())
                .put("id", registered.id()).put("schema", registered.schema().toString());
    }

    private static JsonNode schemaJson(Schema schema) {
        try {
            return JSON.readTree(schema.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Avro produced invalid JSON for " + schema.getFullName(), e);
        }
    }

    private static ArrayNode subjectVersions(List<RegisteredSchema> usages) {
        ArrayNode array = JSON.createArrayNode();
        usages.forEach(u -> array.addObject().put("subject", u.subject()).put("version", u.version()));
        return array;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static ArrayNode ints(List<Integer> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    /** Decoded path segments (the server has already refused malformed escapes); '+' stays a plus. */
    private static List<String> pathSegments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }
}
