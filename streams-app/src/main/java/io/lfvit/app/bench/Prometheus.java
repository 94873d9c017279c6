package io.lfvit.app.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One scrape of an app's {@code /metrics} (Prometheus text format): samples by name and labels. */
final class Prometheus {
    record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private Prometheus(List<Sample> samples) {
        this.samples = samples;
    }

    static Prometheus scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return parse(r.body());
    }

    static Prometheus parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
            Map<String, String> labels = new TreeMap<>();
            if (brace >= 0) {
                String body = line.substring(brace + 1, line.lastIndexOf('}'));
                for (String pair : body.split(",(?=[a-zA-Z_]+=\")")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                    }
                }
            }
            try {
                out.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
            } catch (NumberFormatException ignored) {
                // NaN spelt otherwise, or a line this parser does not know: not one we read
            }
        }
        return new Prometheus(out);
    }

    /** Sum of the samples named {@code name} whose labels include {@code labels} (key, value, key, value...). */
    double sum(String name, String... labels) {
        double total = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && matches(s.labels(), labels)) {
                total += s.value();
            }
        }
        return total;
    }

    /** Smallest positive value among the matching samples, NaN when none. */
    double min(String name, String... labels) {
        double m = Double.NaN;
        for (Sample s : samples) {
            if (s.name().equals(name) && matches(s.labels(), labels) && s.value() > 0) {
                m = Double.isNaN(m) ? s.value() : Math.min(m, s.value());
            }
        }
        return m;
    }

    List<Sample> all(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    private static boolean matches(Map<String, String> have, String[] want) {
        for (int i = 0; i + 1 < want.length; i += 2) {
            if (!want[i + 1].equals(have.get(want[i]))) {
                return false;
            }
        }
        return true;
    }
}
