package io.lfvit.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.lfvit.schemas.registry.StubRegistryServer.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * {@code registry.retry.deadline.ms}: a registry that is down for less than the deadline is waited for
 * (with backoff) and the call succeeds when it is back; past the deadline the call fails as
 * unavailable, and without a deadline only {@code max.retries} are made (the old behaviour).
 */
class RegistryOutageTest {
    private static final Schema STRING = Schema.create(Schema.Type.STRING);

    private static HttpSchemaRegistryClient client(String url, long deadlineMs) {
        Map<String, Object> config = new HashMap<>(Map.of("schema.registry.url", url, "max.retries", 2,
                "retries.wait.ms", 10, "retries.max.wait.ms", 50, "http.connect.timeout.ms", 500));
        config.put(RegistryClientConfig.RETRY_DEADLINE_MS, deadlineMs);
        return new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(config));
    }

    @Test
    void aRegistryThatComesBackWithinTheDeadlineIsWaitedFor() throws Exception {
        int port = freePort();
        // nothing listens on the port for 800 ms: connections are refused, as when the registry is down
        CompletableFuture<HttpServer> comesBack = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(800);
                return schemaServer(port);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            long t0 = System.nanoTime();
            assertEquals(STRING, client("http://127.0.0.1:" + port, 10_000).getById(1));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 700, "answered only once the registry was back: " + ms + " ms");
        } finally {
            comesBack.get(5, TimeUnit.SECONDS).stop(0);
        }
    }

    @Test
    void withoutADeadlineTheSameOutageEndsAsUnavailable() throws Exception {
        int port = freePort();
        CompletableFuture<HttpServer> comesBack = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(800);
                return schemaServer(port);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThrows(RegistryUnavailableException.class, () -> client("http://127.0.0.1:" + port, 0).getById(1));
        } finally {
            comesBack.get(5, TimeUnit.SECONDS).stop(0);
        }
    }

    @Test
    void serverErrorsPastTheDeadlineEndAsUnavailableNamingTheSetting() {
        try (StubRegistryServer stub = new StubRegistryServer()) {
            stub.always(Reply.json(503, "{\"error_code\": 50003, \"message\": \"forwarding failed\"}"));
            long t0 = System.nanoTime();
            RegistryUnavailableException error = assertThrows(RegistryUnavailableException.class,
                    () -> client(stub.url(), 400).getById(1));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 400 && ms < 5000, "gave up after the deadline: " + ms + " ms");
            assertTrue(stub.received().size() > 3, "kept retrying past max.retries: " + stub.received().size());
            assertTrue(error.getMessage().contains(RegistryClientConfig.RETRY_DEADLINE_MS), error.getMessage());
        }
    }

    @Test
    void aNegativeDeadlineIsRefused() {
        assertThrows(org.apache.kafka.common.config.ConfigException.class, () -> client("http://127.0.0.1:1", -1));
    }

    private static HttpServer schemaServer(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{\"schema\": \"\\\"string\\\"\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
