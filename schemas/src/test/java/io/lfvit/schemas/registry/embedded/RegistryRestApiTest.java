package io.lfvit.schemas.registry.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The embedded registry's HTTP API with literal requests and answers in the shapes of Confluent's
 * API reference, independent of our own client (which could share a misunderstanding).
 */
class RegistryRestApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STRING_SCHEMA = "{\"schema\": \"{\\\"type\\\": \\\"string\\\"}\"}";
    private static final String INT_SCHEMA = "{\"schema\": \"\\\"int\\\"\"}";

    private final HttpClient http = HttpClient.newHttpClient();

    @RegisterExtension
    final RegistryPerTest registry = new RegistryPerTest();

    private record Answer(int status, String contentType, JsonNode body) {}

    @Test
    void registerAndReadBackInConfluentShapes() throws Exception {
        Answer registered = call("POST", "/subjects/images-value/versions", STRING_SCHEMA);
        assertEquals(new Answer(200, "application/vnd.schemaregistry.v1+json", json("{\"id\": 1}")), registered);

        assertJson(200, "{\"schema\": \"\\\"string\\\"\"}", call("GET", "/schemas/ids/1", null));
        assertJson(200, "\"string\"", call("GET", "/schemas/ids/1/schema", null));
        assertJson(200, "[\"images-value\"]", call("GET", "/subjects", null));
        assertJson(200, "[1]", call("GET", "/subjects/images-value/versions", null));
        String version = "{\"subject\": \"images-value\", \"version\": 1, \"id\": 1, \"schema\": \"\\\"string\\\"\"}";
        assertJson(200, version, call("GET", "/subjects/images-value/versions/latest", null));
        assertJson(200, version, call("GET", "/subjects/images-value/versions/1", null));
        assertJson(200, version, call("GET", "/subjects/images-value/versions/-1", null));
        assertJson(200, "\"string\"", call("GET", "/subjects/images-value/versions/1/schema", null));
        assertJson(200, version, call("POST", "/subjects/images-value", STRING_SCHEMA));
        assertJson(200, "{}", call("GET", "/", null));
    }

    @Test
    void compatibilityChecksAndConfig() throws Exception {
        call("POST", "/subjects/images-value/versions", STRING_SCHEMA);
        assertJson(200, "{\"is_compatible\": false}",
                call("POST", "/compatibility/subjects/images-value/versions/latest", INT_SCHEMA));
        assertJson(200, "{\"is_compatible\": true}",
                call("POST", "/compatibility/subjects/images-value/versions/1", STRING_SCHEMA));
        Answer verbose = call("POST", "/compatibility/subjects/images-value/versions/latest?verbose=true", INT_SCHEMA);
        assertTrue(verbose.body().get("messages").get(0).asText().contains("TYPE_MISMATCH"), verbose.toString());

        assertJson(200, "{\"compatibilityLevel\": \"BACKWARD\"}", call("GET", "/config", null));
        assertJson(200, "{\"compatibility\": \"FULL\"}", call("PUT", "/config", "{\"compatibility\": \"FULL\"}"));
        assertJson(200, "{\"compatibility\": \"NONE\"}", call("PUT", "/config/images-value", "{\"compatibility\": \"none\"}"));
        assertJson(200, "{\"compatibilityLevel\": \"NONE\"}", call("GET", "/config/images-value", null));
        assertJson(200, "{\"compatibilityLevel\": \"FULL\"}", call("GET", "/config", null));
        assertJson(404, "{\"error_code\": 40408, \"message\": \"Subject 'other' does not have subject-level compatibility configured\"}",
                call("GET", "/config/other", null));
        assertJson(200, "{\"compatibilityLevel\": \"FULL\"}", call("GET", "/config/other?defaultToGlobal=true", null));
    }

    @Test
    void errorsCarryConfluentErrorCodes() throws Exception {
        call("POST", "/subjects/images-value/versions", STRING_SCHEMA);
        assertErrorCode(404, 40403, call("GET", "/schemas/ids/99", null));
        assertErrorCode(404, 40401, call("GET", "/subjects/nope/versions", null));
        assertErrorCode(404, 40401, call("POST", "/compatibility/subjects/nope/versions/1", STRING_SCHEMA));
        assertErrorCode(404, 40402, call("GET", "/subjects/images-value/versions/7", null));
        assertErrorCode(404, 40403, call("POST", "/subjects/images-value", INT_SCHEMA));
        assertErrorCode(422, 42202, call("GET", "/subjects/images-value/versions/0", null));
        assertErrorCode(422, 42201, call("POST", "/subjects/images-value/versions", "{\"schema\": \"{\\\"type\\\": \\\"nonsense\\\"}\"}"));
        assertErrorCode(422, 42201, call("POST", "/subjects/images-value/versions", "{\"schema\": \"\\\"int\\\"\", \"schemaType\": \"PROTOBUF\"}"));
        assertErrorCode(422, 42203, call("PUT", "/config", "{\"compatibility\": \"SIDEWAYS\"}"));
        assertErrorCode(409, 409, call("POST", "/subjects/images-value/versions", INT_SCHEMA));
        assertErrorCode(400, 400, call("POST", "/subjects/images-value/versions", "{not json"));
        assertErrorCode(404, 404, call("GET", "/nowhere", null));
        assertErrorCode(405, 405, call("DELETE", "/subjects/images-value/versions", null));
    }

    /** As Confluent's Java client (RestService) sends them: this Content-Type on every request, its query strings. */
    @Test
    void requestsOfConfluentsJavaSerdes() throws Exception {
        String[] javaHeaders = {"Content-Type",
                "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5"};
        String body = "{\"schemaType\": \"AVRO\", \"references\": [], \"metadata\": null, \"ruleSet\": null, "
                + "\"schema\": \"{\\\"type\\\": \\\"string\\\"}\"}";
        // serializer, auto.register.schemas=true
        assertJson(200, "{\"id\": 1}", call("POST", "/subjects/images-value/versions?normalize=false", body, javaHeaders));
        // serializer, auto.register.schemas=false: look the schema up
        String version = "{\"subject\": \"images-value\", \"version\": 1, \"id\": 1, \"schema\": \"\\\"string\\\"\"}";
        assertJson(200, version, call("POST", "/subjects/images-value?normalize=false&deleted=false", body, javaHeaders));
        // serializer, use.latest.version=true
        assertJson(200, version, call("GET", "/subjects/images-value/versions/latest?deleted=false", null, javaHeaders));
        // deserializer: the writer schema by id, with the subject as a hint
        assertJson(200, "{\"schema\": \"\\\"string\\\"\"}",
                call("GET", "/schemas/ids/1?fetchMaxId=false&subject=images-value", null, javaHeaders));
    }

    /** As confluent-kafka-python's SchemaRegistryClient sends them (Accept on reads, Content-Type on writes). */
    @Test
    void requestsOfConfluentsPythonSerdes() throws Exception {
        String[] accept = {"Accept", "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json"};
        String body = "{\"schema\": \"{\\\"type\\\": \\\"string\\\"}\", \"schemaType\": \"AVRO\", \"references\": []}";
        assertJson(200, "{\"id\": 1}", call("POST", "/subjects/images-value/versions?normalize=False", body));
        assertJson(200, "{\"schema\": \"\\\"string\\\"\"}", call("GET", "/schemas/ids/1?subject=images-value", null, accept));
        assertJson(200, "{\"subject\": \"images-value\", \"version\": 1, \"id\": 1, \"schema\": \"\\\"string\\\"\"}",
                call("POST", "/subjects/images-value?normalize=False&deleted=False", body));
    }

    /** curl sends "Expect: 100-continue" with a body over 1 KB: a real record schema is that large. */
    @Test
    void largeBodyWithExpectContinue() throws Exception {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            fields.append(i == 0 ? "" : ", ").append("{\"name\": \"field_").append(i).append("\", \"type\": \"string\"}");
        }
        String schema = "{\"type\": \"record\", \"name\": \"Wide\", \"fields\": [" + fields + "]}";
        String body = JSON.createObjectNode().put("schema", schema).toString();
        assertTrue(body.length() > 2048, "body of " + body.length() + " bytes");
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry.url() + "/subjects/wide-value/versions"))
                .expectContinue(true)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(json("{\"id\": 1}"), json(response.body()));
    }

    /** What schema browsers and tools ask beyond the serdes: types, and where an id is used. */
    @Test
    void schemaTypesAndWhereAnIdIsUsed() throws Exception {
        call("POST", "/subjects/images-value/versions", STRING_SCHEMA);
        call("POST", "/subjects/copies-value/versions", STRING_SCHEMA);
        call("POST", "/subjects/numbers-value/versions", INT_SCHEMA);
        assertJson(200, "[\"AVRO\"]", call("GET", "/schemas/types", null));
        assertJson(200, "[\"copies-value\", \"images-value\"]", call("GET", "/schemas/ids/1/subjects", null));
        assertJson(200, "[{\"subject\": \"copies-value\", \"version\": 1}, {\"subject\": \"images-value\", \"version\": 1}]",
                call("GET", "/schemas/ids/1/versions", null));
        assertJson(200, "[\"numbers-value\"]", call("GET", "/schemas/ids/2/subjects", null));
        assertErrorCode(404, 40403, call("GET", "/schemas/ids/9/subjects", null));
        assertErrorCode(404, 40403, call("GET", "/schemas/ids/x/versions", null));
        assertErrorCode(405, 405, call("POST", "/schemas/types", STRING_SCHEMA));
    }

    private Answer call(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && headers.length == 0) {
            request.header("Content-Type", "application/vnd.schemaregistry.v1+json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), json(response.body()));
    }

    private static void assertJson(int status, String expectedJson, Answer answer) throws IOException {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals(json(expectedJson), answer.body());
    }

    private static void assertErrorCode(int status, int errorCode, Answer answer) {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals(errorCode, answer.body().get("error_code").asInt(), answer.toString());
        assertTrue(answer.body().get("message").isTextual(), answer.toString());
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
