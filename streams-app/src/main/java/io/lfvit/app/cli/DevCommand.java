package io.lfvit.app.cli;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.dev.DevRun;
import io.lfvit.app.stack.LocalStack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "A local stack for your own clients, like 'confluent local' or 'redpanda dev': the demo's single-node KRaft broker, schema registry (Confluent REST API over HTTP), localizer and focus worker, with the topics created and the schemas registered, running until Ctrl-C or SIGTERM. Then everything stops in order, temporary data is deleted, and the exit code is 0. Point any Kafka client (Confluent serdes, console tools, ./lfvit produce, ./lfvit eta) at the printed addresses.")
public final class DevCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Kafka listener on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Schema registry on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int registryPort;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Metrics (/metrics) and health (/health) (0 = any free port, -1 = none). Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the broker's logs, the registered schemas and the applications' state here, reused on the next"
                    + " start. Default: a temporary directory, deleted on exit.")
    Path dataDir;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "models/lfvit", description = "Model bundle. Default: ${DEFAULT-VALUE}.")
    Path model;

    @Option(names = "--untrained", description = "Use a tiny untrained LF-ViT (chance-level answers) instead of a bundle: tries the"
            + " stack without trained weights.")
    boolean untrained;

    @Option(names = "--eta", paramLabel = "X", description = "eta at the start (published on the control topic); default: the model's.")
    Double eta;

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N. Default: the device setting (auto).")
    String device;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "2", description = "Partitions of new topics. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--controller", paramLabel = "P99_MS", description = "Also run the eta controller with this target p99 (ms) "
            + "of focus answers (docs/video.md).")
    Double controller;

    @Option(names = "--no-apps", description = "Start the broker and the schema registry only (topics created, schemas"
            + " registered), for a localizer and focus workers you run yourself ('./lfvit localizer', './lfvit focus-worker').")
    boolean noApps;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
            description = "Any other setting of the configuration reference (e.g. batch.max=16, focus.deadline.ms=500).")
    Map<String, String> settings = new TreeMap<>();

    @Override
    public Integer call() throws Exception {
        if (eta != null && !(eta >= 0 && eta <= 1)) {
            System.err.println("lfvit dev: --eta must lie in [0, 1]");
            return 2;
        }
        String missing = untrained || noApps ? null : LocalStack.missingModel("dev", model);
        if (missing != null) {
            System.err.println(missing);
            return 2;
        }
        List<String> taken = DevRun.portsInUse(port, registryPort, httpPort);
        if (!taken.isEmpty()) {
            System.err.println("lfvit dev: port(s) in use: " + String.join(", ", taken)
                    + ". Stop what uses them (another 'lfvit dev'?) or pick others (0 = any free port).");
            return 2;
        }
        Map<String, Object> overrides = new TreeMap<>(settings);
        if (device != null) {
            overrides.put(AppConfig.DEVICE, device);
        }
        overrides.put(AppConfig.TOPIC_PARTITIONS, partitions);
        AppConfig base = AppConfig.load(null, System.getenv()).withAll(overrides);
        return new DevRun(new LocalStack.Options(port, registryPort, httpPort, dataDir, model, untrained, eta, base, !noApps), System.out)
                .withController(controller).run();
    }
}
