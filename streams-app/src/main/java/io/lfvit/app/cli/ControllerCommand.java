package io.lfvit.app.cli;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.controller.EtaController;
import io.lfvit.app.controller.EtaControllerRun;
import io.lfvit.app.metrics.HttpEndpoints;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.serde.AvroSerdes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "controller", mixinStandardHelpOptions = true,
        description = "Runs the eta controller: watches how late the focus stage's answers are (their capture-to-answer p99 "
                + "and the age of the oldest focus task the focus group has not reached, both read from Kafka) and publishes "
                + "eta on the control topic to hold the target: lower when late, back up towards the model's eta when caught up, "
                + "within bounds and with hysteresis (controller.* settings).")
public final class ControllerCommand implements Callable<Integer> {
    @Option(names = "--target-p99-ms", paramLabel = "T", description = "Target p99 lateness of focus answers, ms (default: controller.target.p99.ms).")
    Double target;

    @Option(names = "--source", paramLabel = "ID", description = "Control this source's eta (its answers only); default: the global eta, all sources.")
    String source;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        AppConfig c = config.load();
        double t = target != null ? target : Double.parseDouble(c.string(AppConfig.CONTROLLER_TARGET_P99_MS));
        EtaController.Settings settings = EtaControllerRun.settings(c, t);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CountDownLatch stop = new CountDownLatch(1);
        try (AvroSerdes serdes = new AvroSerdes(c.serdeConfig());
                EtaControllerRun run = EtaControllerRun.start(c, new Topics(c, serdes), source, settings, prometheus, System.err)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                run.close();
                stop.countDown();
            }, "lfvit-controller-shutdown"));
            try (HttpEndpoints http = c.httpPort() >= 0 ? HttpEndpoints.start(c.httpPort(), prometheus,
                    () -> new HttpEndpoints.Health(true, "controller eta " + run.eta())) : null) {
                System.err.printf("lfvit controller: RUNNING%s%n", http == null ? "" : "; metrics on :" + http.port() + "/metrics");
                stop.await();
            }
        }
        return 0;
    }
}
