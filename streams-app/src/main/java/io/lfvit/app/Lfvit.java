package io.lfvit.app;

import io.lfvit.app.cli.BenchCommand;
import io.lfvit.app.cli.ControllerCommand;
import io.lfvit.app.cli.DemoCommand;
import io.lfvit.app.cli.DevCommand;
import io.lfvit.app.cli.EtaCommand;
import io.lfvit.app.cli.FocusWorkerCommand;
import io.lfvit.app.cli.LocalizerCommand;
import io.lfvit.app.cli.ProduceCommand;
import io.lfvit.app.cli.ServeBothCommand;
import io.lfvit.app.cli.TaggerCommand;
import io.lfvit.trainer.cli.EvalCommand;
import io.lfvit.trainer.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lfvit} command: every operation of the product, one subcommand each. */
@Command(
        name = "lfvit",
        mixinStandardHelpOptions = true,
        version = "lfvit-streams 0.1.0",
        description = "Adaptive two-stage (LF-ViT) image classification on Kafka.",
        footer = {"", "The launcher script also runs the test suite: ./lfvit test [mvn args...] installs what the tests "
                + "need from apt when run as root (else prints the command), then runs mvn -B test with the arguments."},
        subcommands = {TrainCommand.class, EvalCommand.class, DemoCommand.class, DevCommand.class, ProduceCommand.class, LocalizerCommand.class,
                FocusWorkerCommand.class, ServeBothCommand.class, TaggerCommand.class, ControllerCommand.class, EtaCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Lfvit {

    /**
     * Kafka clients and the embedded broker log transient, retried conditions (a transaction still
     * completing, a fenced producer's sequence) as WARN/ERROR, and Micrometer warns once that a Kafka
     * client meter's tags vary; keep the console for our own lines.
     * Any explicit -Dorg.slf4j.simpleLogger.log.* setting wins.
     */
    static void quietKafkaLogs() {
        String prefix = "org.slf4j.simpleLogger.log.";
        for (String[] setting : new String[][] {{"org.apache.kafka", "error"}, {"kafka", "error"},
                {"kafka.server.ReplicaManager", "off"}, {"org.apache.kafka.streams.processor.internals.StateDirectory", "off"},
                {"org.apache.kafka.streams.StreamsConfig", "error"}, {"ai.djl.util.cuda.CudaUtils", "error"},
                {"io.micrometer.prometheusmetrics.PrometheusMeterRegistry", "error"}}) {
            if (System.getProperty(prefix + setting[0]) == null) {
                System.setProperty(prefix + setting[0], setting[1]);
            }
        }
    }

    /** A bad setting or argument (IllegalArgumentException) is the user's to fix: its message, exit 2. */
    private static int usageErrorsWithoutStackTraces(Exception e, CommandLine command, CommandLine.ParseResult parsed)
            throws Exception {
        if (e instanceof IllegalArgumentException) {
            command.getErr().println("lfvit " + command.getCommandName() + ": " + e.getMessage());
            return 2;
        }
        throw e;
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        quietKafkaLogs();
        int code = new CommandLine(new Lfvit()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Lfvit::usageErrorsWithoutStackTraces).execute(args);
        System.exit(code);
    }
}
