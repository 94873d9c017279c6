package io.lfvit.app.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.metrics.HttpEndpoints;
import io.lfvit.app.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live view for people, on the apps' HTTP port next to /metrics and /health:
 * <ul>
 *   <li>{@code GET /} the page (static files from this package's resources, uPlot from its WebJar: no build step);</li>
 *   <li>{@code GET /view/events} Server-Sent Events, one {@link LiveState#snapshot} a second;</li>
 *   <li>{@code GET /view/thumb/<event id>} the PNG thumbnail of a shown frame;</li>
 *   <li>{@code POST /view/eta} ({@code eta=0.6[&source=cam-1]}, or {@code clear=1&source=cam-1}) publishes a
 *       ControlUpdate on the control topic, as {@code lfvit eta set} does.</li>
 * </ul>
 */
public final class LiveView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
    /** Who the view's ControlUpdates say they come from. */
    public static final String UPDATED_BY = "lfvit live view";
    static final long EVENT_EVERY_MS = 1000;
    private static final String STATIC = "/io/lfvit/app/view/static/";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
            "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "png", "image/png");

    private final LiveState state = new LiveState();
    private final LiveFeed feed;
    private final ControlClient control;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean closed;

    private LiveView(AppConfig config, Topics topics) {
        this.feed = new LiveFeed(config, topics, state);
        this.control = new ControlClient(config, topics.control());
    }

    /** Starts the feed and serves the view on {@code http}. */
    public static LiveView start(AppConfig config, Topics topics, HttpEndpoints http) {
        LiveView view = new LiveView(config, topics);
        view.feed.start();
        http.handle("/", view::page);
        http.handle("/view/events", view::events);
        http.handle("/view/thumb/", view::thumb);
        http.handle("/view/eta", view::eta);
        return view;
    }

    private void page(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/") || path.equals("/index.html")) {
            resource(ex, STATIC + "index.html");
        } else if (path.equals("/favicon.ico")) {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        } else if (path.startsWith("/view/static/") && !path.contains("..")) {
            resource(ex, STATIC + path.substring("/view/static/".length()));
        } else if (path.startsWith("/view/uplot/") && !path.contains("..")) {
            resource(ex, UPLOT + path.substring("/view/uplot/".length()));
        } else {
            HttpEndpoints.reply(ex, 404, "text/plain", "not found: " + path + "\n");
        }
    }

    private void resource(HttpExchange ex, String name) throws IOException {
        try (InputStream in = LiveView.class.getResourceAsStream(name)) {
            if (in == null) {
                HttpEndpoints.reply(ex, 404, "text/plain", "not found\n");
                return;
            }
            byte[] body = in.readAllBytes();
            String ext = name.substring(name.lastIndexOf('.') + 1);
            ex.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Server-Sent Events: a snapshot now and then every second, until the client goes or the view closes. */
    private void events(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            while (!closed) {
                byte[] data = json.writeValueAsBytes(state.snapshot(System.currentTimeMillis()));
                out.write("event: state\ndata: ".getBytes(StandardCharsets.UTF_8));
                out.write(data);
                out.write("\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(EVENT_EVERY_MS);
            }
        } catch (IOException gone) {
            // the page was closed or reloaded
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void thumb(HttpExchange ex) throws IOException {
        String id = ex.getRequestURI().getPath().substring("/view/thumb/".length());
        byte[] png = state.thumbnail(id);
        if (png == null) {
            HttpEndpoints.reply(ex, 404, "text/plain", "no thumbnail for " + id + " (no longer shown)\n");
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "image/png");
        ex.getResponseHeaders().set("Cache-Control", "max-age=600");
        ex.sendResponseHeaders(200, png.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(png);
        }
    }

    private void eta(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            HttpEndpoints.reply(ex, 405, "text/plain", "POST eta=X[&source=ID] or clear=1&source=ID\n");
            return;
        }
        Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String source = form.get("source");
        if (source != null && source.isBlank()) {
            source = null;
        }
        try {
            if (form.containsKey("clear")) {
                if (source == null) {
                    throw new IllegalArgumentException("clear needs a source (the global eta stays set)");
                }
                control.clear(source);
                HttpEndpoints.reply(ex, 200, "application/json", json.writeValueAsString(Map.of("cleared", source)));
                return;
            }
            String raw = form.get("eta");
            double eta;
            try {
                eta = Double.parseDouble(raw == null ? "" : raw.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("eta must be a number in [0, 1], got '" + raw + "'");
            }
            control.set(eta, source, null, UPDATED_BY);
            Map<String, Object> ok = new HashMap<>();
            ok.put("eta", eta);
            ok.put("scope", source == null ? "global" : source);
            HttpEndpoints.reply(ex, 200, "application/json", json.writeValueAsString(ok));
        } catch (IllegalArgumentException e) {
            HttpEndpoints.reply(ex, 400, "application/json", json.writeValueAsString(Map.of("error", e.getMessage())));
        } catch (Exception e) {
            LOG.warn("live view: publishing eta failed: {}", e.toString());
            HttpEndpoints.reply(ex, 503, "application/json", json.writeValueAsString(Map.of("error", "could not publish: " + e)));
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> m = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }


    @Override
    public void close() {
        closed = true;
        feed.close();
    }
}
