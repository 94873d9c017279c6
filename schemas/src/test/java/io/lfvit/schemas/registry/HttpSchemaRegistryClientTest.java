package io.lfvit.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.registry.StubRegistryServer.Received;
import io.lfvit.schemas.registry.StubRegistryServer.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Protocol details of the HTTP client against a scripted server: headers, auth, retries, timeouts, failover. */
class HttpSchemaRegistryClientTest {
    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Reply SCHEMA_1 = Reply.json(200, "{\"schema\": \"\\\"string\\\"\"}");

    private final StubRegistryServer stub = new StubRegistryServer();

    @AfterEach
    void stop() {
        stub.close();
    }

    private HttpSchemaRegistryClient client(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                "schema.registry.url", stub.url(), "max.retries", 2, "retries.wait.ms", 5));
        config.putAll(extra);
        return new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(config));
    }

    @Test
    void sendsConfluentMediaTypesAndBody() {
        stub.reply(Reply.json(200, "{\"id\": 7}"));
        assertEquals(7, client(Map.of()).register("images-value", STRING));
        Received request = stub.received().get(0);
        assertEquals("POST", request.method());
        assertEquals("/subjects/images-value/versions", request.path());
        assertEquals("application/vnd.schemaregistry.v1+json", request.contentType());
        assertTrue(request.accept().startsWith("application/vnd.schemaregistry.v1+json"), request.accept());
        assertEquals("{\"schema\":\"\\\"string\\\"\"}", request.body());
        assertNull(request.authorization());
    }

    @Test
    void basicAuthFromUserInfo() {
        stub.reply(SCHEMA_1);
        client(Map.of("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "alice:s3cret")).getById(1);
        assertEquals("Basic YWxpY2U6czNjcmV0", stub.received().get(0).authorization());
    }

    @Test
    void basicAuthFromTheUrl() {
        stub.reply(SCHEMA_1);
        String url = stub.url().replace("http://", "http://bob:pw@");
        client(Map.of("schema.registry.url", url, "basic.auth.credentials.source", "URL")).getById(1);
        assertEquals("Basic Ym9iOnB3", stub.received().get(0).authorization());
    }

    @Test
    void bearerToken() {
        stub.reply(SCHEMA_1);
        client(Map.of("bearer.auth.token", "tok-123")).getById(1);
        assertEquals("Bearer tok-123", stub.received().get(0).authorization());
    }

    @Test
    void serverErrorsAreRetriedThenSucceed() {
        Reply unavailable = Reply.json(503, "{\"error_code\": 50003, \"message\": \"forwarding failed\"}");
        stub.reply(unavailable, unavailable, SCHEMA_1);
        assertEquals(STRING, client(Map.of()).getById(1));
        assertEquals(3, stub.received().size());
    }

    @Test
    void persistentServerErrorsEndAsRegistryUnavailable() {
        stub.always(Reply.json(500, "{\"error_code\": 50001, \"message\": \"Error in the backend data store\"}"));
        RegistryUnavailableException error = assertThrows(RegistryUnavailableException.class, () -> client(Map.of()).getById(1));
        assertEquals(500, error.httpStatus());
        assertEquals(50001, error.errorCode());
        assertTrue(error.getMessage().contains("3 attempts") && error.getMessage().contains("backend data store"), error.getMessage());
        assertEquals(3, stub.received().size());
    }

    @Test
    void clientErrorsAreNotRetried() {
        stub.reply(Reply.json(404, "{\"error_code\": 40403, \"message\": \"Schema 1 not found\"}"),
                Reply.json(401, "{\"error_code\": 401, \"message\": \"Unauthorized\"}"),
                Reply.json(409, "{\"error_code\": 409, \"message\": \"incompatible\"}"),
                Reply.json(422, "{\"error_code\": 42201, \"message\": \"Invalid schema\"}"));
        HttpSchemaRegistryClient client = client(Map.of());
        assertEquals(40403, assertThrows(NotFoundException.class, () -> client.getById(1)).errorCode());
        assertEquals(401, assertThrows(RegistryAuthenticationException.class, () -> client.getById(1)).httpStatus());
        assertThrows(IncompatibleSchemaException.class, () -> client.register("s", STRING));
        assertEquals(42201, assertThrows(InvalidRequestException.class, () -> client.register("s", STRING)).errorCode());
        assertEquals(4, stub.received().size());
    }

    @Test
    void errorBodiesThatAreNotJsonKeepTheirText() {
        stub.always(new Reply(502, "<html>Bad Gateway</html>", 0));
        RegistryUnavailableException error = assertThrows(RegistryUnavailableException.class, () -> client(Map.of()).getById(1));
        assertEquals(502, error.httpStatus());
        assertTrue(error.getMessage().contains("Bad Gateway"), error.getMessage());
    }

    @Test
    void refusedConnectionsAreRetriedThenRegistryUnavailable() throws IOException {
        String dead = "http://127.0.0.1:" + closedPort();
        RegistryUnavailableException error = assertThrows(RegistryUnavailableException.class,
                () -> client(Map.of("schema.registry.url", dead)).getById(1));
        assertEquals(SchemaRegistryException.NO_RESPONSE, error.errorCode());
        assertInstanceOf(IOException.class, error.getCause());
    }

    @Test
    void aDeadUrlIsSkippedForTheNextOne() throws IOException {
        stub.reply(SCHEMA_1);
        String urls = "http://127.0.0.1:" + closedPort() + "," + stub.url();
        assertEquals(STRING, client(Map.of("schema.registry.url", urls)).getById(1));
    }

    @Test
    void slowAnswersTimeOut() {
        stub.always(new Reply(200, "{\"schema\": \"\\\"string\\\"\"}", 2_000));
        HttpSchemaRegistryClient client = client(Map.of("http.read.timeout.ms", 100, "max.retries", 0));
        assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(RegistryUnavailableException.class, () -> client.getById(1)));
    }

    @Test
    void answersWithoutTheExpectedFieldAreClearErrors() {
        stub.reply(Reply.json(200, "{\"unexpected\": true}"));
        SchemaRegistryException error = assertThrows(SchemaRegistryException.class, () -> client(Map.of()).register("s", STRING));
        assertTrue(error.getMessage().contains("\"id\""), error.getMessage());
    }

    @Test
    void subjectsAndQueriesAreEncoded() {
        stub.reply(Reply.json(200, "{\"compatibilityLevel\": \"FULL\"}"));
        assertEquals(CompatibilityLevel.FULL, client(Map.of()).getCompatibility("a b/c"));
        assertEquals(List.of("/config/a%20b%2Fc?defaultToGlobal=true"), stub.received().stream().map(Received::path).toList());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
