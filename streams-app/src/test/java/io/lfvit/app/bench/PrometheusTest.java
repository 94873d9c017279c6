package io.lfvit.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.metrics.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The bench reads the apps' own /metrics text: the step timers and the first-input gauge, as Micrometer writes them. */
class PrometheusTest {

    @Test
    void readsTheStepCountersAndTheFirstInputAsTheAppsExportThem() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics metrics = new Metrics(registry);
        metrics.step("localization", "model", 3_000_000_000L);
        metrics.step("localization", "model", 1_000_000_000L);
        metrics.step("focus", "model", 2_000_000_000L);
        metrics.stepImages("localization", 40);
        metrics.firstInput("localization", 1_795_000_000_123L);
        metrics.firstInput("localization", 1_795_000_999_999L); // the first one stays

        Prometheus scrape = Prometheus.parse(registry.scrape());

        assertEquals(4.0, scrape.sum("lfvit_step_seconds_total", "stage", "localization", "step", "model"), 1e-9);
        assertEquals(6.0, scrape.sum("lfvit_step_seconds_total", "step", "model"), 1e-9, "both stages");
        assertEquals(40.0, scrape.sum("lfvit_step_images_total", "stage", "localization"), 1e-9);
        assertEquals(1_795_000_000_123.0, scrape.min("lfvit_first_input_ms", "stage", "localization"), 1.0);
        assertTrue(Double.isNaN(scrape.min("lfvit_first_input_ms", "stage", "focus")), "no focus input yet");
    }

    @Test
    void labelValuesWithCommasAndLinesItCannotReadAreHandled() {
        Prometheus scrape = Prometheus.parse("""
                # HELP x a metric
                x{a="1,2",b="y"} 2.5
                x{a="3"} NaN
                y 7
                """);
        assertEquals(2.5, scrape.sum("x", "a", "1,2"), 1e-9);
        assertEquals(7.0, scrape.sum("y"), 1e-9);
    }
}
