package io.lfvit.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over Confluent's REST API, with the JDK's HTTP client. Connection
 * failures, timeouts and 5xx answers are retried with exponential backoff, rotating through the
 * configured URLs; 4xx answers are final and become typed exceptions. Retrying a registration is
 * safe: registering a schema that is already there returns its id.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);

    private final RegistryClientConfig config;
    private final HttpClient http;
    private final Optional<String> authorization;

    public HttpSchemaRegistryClient(RegistryClientConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1);
        if (config.sslContext() != null) {
            builder.sslContext(config.sslContext());
        }
        this.http = builder.build();
        this.authorization = config.basicUserInfo()
                .map(userInfo -> "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)))
                .or(() -> config.bearerToken().map(token -> "Bearer " + token));
    }

    @Override
    public int register(String subject, Schema schema) {
        return requiredField(call("POST", "/subjects/" + segment(subject) + "/versions", schemaBody(schema)), "id").asInt();
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        return registeredSchema(call("POST", "/subjects/" + segment(subject), schemaBody(schema)));
    }

    @Override
    public Schema getById(int id) {
        return parseSchema(requiredField(call("GET", "/schemas/ids/" + id, null), "schema").asText());
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return registeredSchema(call("GET", "/subjects/" + segment(subject) + "/versions/latest", null));
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return registeredSchema(call("GET", "/subjects/" + segment(subject) + "/versions/" + version, null));
    }

    @Override
    public List<String> getSubjects() {
        List<String> subjects = new ArrayList<>();
        call("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    @Override
    public List<Integer> getVersions(String subject) {
        List<Integer> versions = new ArrayList<>();
        call("GET", "/subjects/" + segment(subject) + "/versions", null).forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    @Override
    public CompatibilityCheck testCompatibility(String subject, Schema schema) {
        JsonNode answer = call("POST",
                "/compatibility/subjects/" + segment(subject) + "/versions/latest?verbose=true", schemaBody(schema));
        List<String> messages = new ArrayList<>();
        answer.path("messages").forEach(node -> messages.add(node.asText()));
        return new CompatibilityCheck(requiredField(answer, "is_compatible").asBoolean(), messages);
    }

    @Override
    public CompatibilityLevel getCompatibility() {
        return compatibilityLevel(call("GET", "/config", null));
    }

    @Override
    public CompatibilityLevel getCompatibility(String subject) {
        return compatibilityLevel(call("GET", "/config/" + segment(subject) + "?defaultToGlobal=true", null));
    }

    @Override
    public void setCompatibility(CompatibilityLevel level) {
        call("PUT", "/config", compatibilityBody(level));
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        call("PUT", "/config/" + segment(subject), compatibilityBody(level));
    }

    /** Sends one request, retrying as the class comment says, and returns the parsed JSON answer. */
    private JsonNode call(String method, String pathAndQuery, String body) {
        List<URI> urls = config.urls();
        SchemaRegistryException lastFailure = null;
        long deadline = System.nanoTime() + config.retryDeadline().toNanos();
        for (int attempt = 0; attempt <= config.maxRetries() || System.nanoTime() < deadline; attempt++) {
            if (attempt > 0) {
                sleepBeforeRetry(attempt, lastFailure);
            }
            URI url = urls.get(attempt % urls.size());
            try {
                HttpResponse<String> response = http.send(request(url, method, pathAndQuery, body),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() < 300) {
                    return parseJson(response.body(), response.statusCode());
                }
                SchemaRegistryException error = errorFrom(response);
                if (!(error instanceof RegistryUnavailableException)) {
                    throw error;
                }
                lastFailure = error;
            } catch (IOException e) {
                lastFailure = new RegistryUnavailableException(
                        method + " " + url + pathAndQuery + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("Interrupted while calling the schema registry at " + url, e);
            }
        }
        throw new RegistryUnavailableException(lastFailure.httpStatus(), lastFailure.errorCode(),
                "Schema registry unavailable after " + attemptsText() + ": " + lastFailure.getMessage(), lastFailure.getCause());
    }

    private HttpRequest request(URI base, String method, String pathAndQuery, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(stripTrailingSlash(base.toString()) + pathAndQuery))
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", CONTENT_TYPE);
        }
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder.build();
    }

    private String attemptsText() {
        return config.retryDeadline().isZero() ? (config.maxRetries() + 1) + " attempts"
                : "retrying for " + config.retryDeadline().toMillis() + " ms (" + RegistryClientConfig.RETRY_DEADLINE_MS + ")";
    }

    private void sleepBeforeRetry(int attempt, SchemaRegistryException lastFailure) {
        long backoff = config.retryBackoff().toMillis() << Math.min(attempt - 1, 30);
        Duration wait = Duration.ofMillis(Math.min(backoff, config.maxRetryBackoff().toMillis()));
        LOG.warn("Schema registry call failed ({}); retry {} of {} in {} ms",
                lastFailure.getMessage(), attempt, config.retryDeadline().isZero() ? String.valueOf(config.maxRetries())
                        : config.maxRetries() + " (then until " + config.retryDeadline().toMillis() + " ms have passed)",
                wait.toMillis());
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while waiting to retry the schema registry", e);
        }
    }

    /** Maps a Confluent error body ({@code {"error_code": 40403, "message": "..."}}) to its typed exception. */
    private static SchemaRegistryException errorFrom(HttpResponse<String> response) {
        int status = response.statusCode();
        try {
            JsonNode error = JSON.readTree(response.body());
            if (error != null && error.has("error_code")) {
                return SchemaRegistryException.of(status, error.get("error_code").asInt(), error.path("message").asText());
            }
        } catch (JsonProcessingException notJson) {
            // A proxy or load balancer answered instead of the registry: keep its text.
        }
        String text = response.body() == null ? "" : response.body();
        return SchemaRegistryException.of(status, status,
                "HTTP " + status + " from " + response.uri() + ": " + text.substring(0, Math.min(text.length(), 200)));
    }

    private static JsonNode parseJson(String body, int status) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(status, SchemaRegistryException.NO_RESPONSE,
                    "The schema registry answered with invalid JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode requiredField(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || value.isNull()) {
            throw new SchemaRegistryException(200, SchemaRegistryException.NO_RESPONSE,
                    "The schema registry's answer lacks \"" + field + "\": " + answer);
        }
        return value;
    }

    private static RegisteredSchema registeredSchema(JsonNode answer) {
        return new RegisteredSchema(requiredField(answer, "subject").asText(), requiredField(answer, "version").asInt(),
                requiredField(answer, "id").asInt(), parseSchema(requiredField(answer, "schema").asText()));
    }

    private static CompatibilityLevel compatibilityLevel(JsonNode answer) {
        return CompatibilityLevel.parse(requiredField(answer, "compatibilityLevel").asText());
    }

    private static Schema parseSchema(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(200, SchemaRegistryException.INVALID_SCHEMA,
                    "The schema registry returned a schema Avro cannot parse: " + e.getMessage());
        }
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private static String compatibilityBody(CompatibilityLevel level) {
        return JSON.createObjectNode().put("compatibility", level.name()).toString();
    }

    /** Percent-encodes one path segment (a subject may contain '/', '+' or spaces). */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
