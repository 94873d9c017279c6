package io.lfvit.app.cli;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.control.ControlKeys;
import io.lfvit.app.kafka.TopicSetup;
import io.lfvit.app.kafka.TopicUnavailableException;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.serde.AvroSerdes;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eta", mixinStandardHelpOptions = true,
        description = "The early-exit threshold eta at runtime, on the compacted control topic: both applications read it as a global store and apply it to the next batch (within ~1 s, no restart, no rebalance).",
        subcommands = {EtaCommand.Set.class, EtaCommand.Show.class, EtaCommand.Clear.class})
public final class EtaCommand {

    static ControlClient client(AppConfig config, AvroSerdes serdes) {
        return new ControlClient(config, new Topics(config, serdes).control());
    }

    /**
     * Makes sure the control topic exists before writing to it: creates it with the app's settings
     * (compacted, one partition) when {@code topic.create} is true, else fails with one line.
     */
    static void requireControlTopic(AppConfig config) {
        String topic = config.string(AppConfig.TOPIC_CONTROL);
        if (TopicSetup.require(config, topic, TopicSetup.TOOL_TIMEOUT)) {
            System.err.println("lfvit eta: created the control topic " + topic + " on " + config.bootstrapServers());
        }
    }

    /**
     * Runs a command's Kafka work; a missing topic, an unreachable broker or a failed write is printed as
     * one line ({@code lfvit eta set: ...}) and exit code 1, not a stack trace.
     */
    static int reportingFailures(String command, Callable<Integer> work) throws Exception {
        try {
            return work.call();
        } catch (TopicUnavailableException e) {
            System.err.println("lfvit eta " + command + ": " + e.getMessage());
        } catch (ExecutionException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("lfvit eta " + command + ": " + cause.getClass().getSimpleName() + ": "
                    + String.valueOf(cause.getMessage()).lines().findFirst().orElse(""));
        }
        return 1;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Sets eta globally, or for one source with --source.")
    static final class Set implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ETA", description = "Threshold in [0, 1]: an image exits when its top probability >= eta.")
        double eta;

        @Option(names = "--source", paramLabel = "ID", description = "Only this source (camera/stream id).")
        String source;

        @Option(names = "--deadline-ms", paramLabel = "MS",
                description = "Also set the focus deadline: a focus task older than this (since capture) gets its localization answer, flagged degraded.")
        Long deadlineMs;

        @Mixin
        ConfigOptions config;

        @Override
        public Integer call() throws Exception {
            if (!(eta >= 0 && eta <= 1)) {
                throw new IllegalArgumentException("eta must lie in [0, 1], got " + eta);
            }
            AppConfig c = config.load();
            return reportingFailures("set", () -> {
                requireControlTopic(c);
                try (AvroSerdes serdes = new AvroSerdes(c.serdeConfig())) {
                    client(c, serdes).set(eta, source, deadlineMs, System.getProperty("user.name", "lfvit"));
                }
                System.out.printf(Locale.ROOT, "eta %.3f set for %s%s%n", eta, source == null ? "all sources" : "source " + source,
                        deadlineMs == null ? "" : " (focus deadline " + deadlineMs + " ms)");
                return 0;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows the global value and the per-source overrides.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Override
        public Integer call() throws Exception {
            AppConfig c = config.load();
            return reportingFailures("show", () -> show(c));
        }

        private static int show(AppConfig c) throws Exception {
            String topic = c.string(AppConfig.TOPIC_CONTROL);
            if (!TopicSetup.exists(c, topic, TopicSetup.TOOL_TIMEOUT)) {
                System.out.println("no eta set (the control topic " + topic + " does not exist yet on " + c.bootstrapServers()
                        + "): the model's default eta applies");
                return 0;
            }
            Map<String, ControlUpdate> all;
            try (AvroSerdes serdes = new AvroSerdes(c.serdeConfig())) {
                all = client(c, serdes).show();
            }
            if (all.isEmpty()) {
                System.out.println("no eta set on the control topic: the model's default eta applies");
            }
            ControlUpdate global = all.get(ControlKeys.GLOBAL);
            if (global != null) {
                print("global", global);
            }
            all.forEach((k, v) -> {
                if (!k.equals(ControlKeys.GLOBAL)) {
                    print(k, v);
                }
            });
            return 0;
        }

        private static void print(String key, ControlUpdate u) {
            String deadline = u.getSettings().get(ControlKeys.DEADLINE_MS);
            System.out.printf(Locale.ROOT, "%-24s eta %.3f%s  (%s by %s)%n", key, u.getEta(),
                    deadline == null ? "" : ", deadline " + deadline + " ms", u.getUpdatedAt(), u.getUpdatedBy());
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Removes a source's override (or, without --source, the global value).")
    static final class Clear implements Callable<Integer> {
        @Option(names = "--source", paramLabel = "ID")
        String source;

        @Mixin
        ConfigOptions config;

        @Override
        public Integer call() throws Exception {
            AppConfig c = config.load();
            return reportingFailures("clear", () -> {
                requireControlTopic(c);
                try (AvroSerdes serdes = new AvroSerdes(c.serdeConfig())) {
                    client(c, serdes).clear(source);
                }
                System.out.println("cleared " + (source == null ? "the global eta" : "the override of source " + source));
                return 0;
            });
        }
    }
}
