package io.lfvit.app;

import io.lfvit.app.cli.BenchCommand;
import io.lfvit.app.cli.ControllerCommand;
import io.lfvit.app.cli.DemoCommand;
import io.lfvit.app.cli.DevCommand;
import io.lfvit.app.cli.EtaCommand;
import io.lfvit.app.cli.FaultsCommand;
import io.lfvit.app.cli.FocusWorkerCommand;
import io.lfvit.app.cli.LocalizerCommand;
import io.lfvit.app.cli.ProduceCommand;
import io.lfvit.app.cli.ServeBothCommand;
import io.lfvit.app.cli.TaggerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lfvit} command's serving side: every operation a deployment runs, one subcommand each. The
 * launcher's main ({@code io.lfvit.cli.Main}, module cli) adds {@code train} and {@code eval} from the trainer,
 * which serving never loads; this class's own main is what child JVMs (bench, fault tests) start.
 */
@Command(
        name = "lfvit",
        mixinStandardHelpOptions = true,
        version = "lfvit-streams 0.1.0",
        description = "Adaptive two-stage (LF-ViT) image classification on Kafka.",
        footer = {"", "The launcher script also runs the test suite: ./lfvit test [mvn args...] installs what the tests "
                + "need from apt when run as root (else prints the command), then runs mvn -B test with the arguments."},
        subcommands = {DemoCommand.class, DevCommand.class, ProduceCommand.class, LocalizerCommand.class,
                FocusWorkerCommand.class, ServeBothCommand.class, TaggerCommand.class, ControllerCommand.class, EtaCommand.class,
                BenchCommand.class, FaultsCommand.class, CommandLine.HelpCommand.class})
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

    /**
     * The serving commands plus any others (the cli module passes the trainer's), for {@link #execute}. The
     * settings come after the additions: picocli applies them only to the subcommands present at the call.
     */
    public static CommandLine commandLine(Object... moreSubcommands) {
        CommandLine lfvit = new CommandLine(new Lfvit());
        for (Object command : moreSubcommands) {
            lfvit.addSubcommand(command);
        }
        return lfvit.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Lfvit::usageErrorsWithoutStackTraces);
    }

    /** Runs one command line as the launcher does: DJL offline, Kafka's logs quiet; returns the exit code. */
    public static int execute(CommandLine lfvit, String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        quietKafkaLogs();
        return lfvit.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(commandLine(), args));
    }
}
