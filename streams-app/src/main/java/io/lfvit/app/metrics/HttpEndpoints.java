package io.lfvit.app.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (Prometheus text format) and {@code GET /health} (200 UP while every Kafka
 * Streams application of the process is running or rebalancing, else 503 with the states).
 */
public final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;

    /** Health as (healthy, detail). */
    public record Health(boolean up, String detail) {}

    private HttpEndpoints(HttpServer server) {
        this.server = server;
    }

    public static HttpEndpoints start(int port, PrometheusMeterRegistry registry, Supplier<Health> health) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
            // a pool, not one thread: the live view's event streams hold their exchange open
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "lfvit-http");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                    registry.scrape()));
            server.createContext("/health", ex -> {
                Health h = health.get();
                reply(ex, h.up() ? 200 : 503, "application/json",
                        "{\"status\":\"" + (h.up() ? "UP" : "DOWN") + "\",\"detail\":\"" + h.detail() + "\"}");
            });
            server.start();
            return new HttpEndpoints(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on port " + port, e);
        }
    }

    /** Serves {@code path} (and what lies under it) with {@code handler}, next to /metrics and /health. */
    public void handle(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** A whole UTF-8 body with its content type (the metrics, health and live-view handlers). */
    public static void reply(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
