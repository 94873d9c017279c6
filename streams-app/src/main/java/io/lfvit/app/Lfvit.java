package io.lfvit.app;

import io.lfvit.app.cli.DemoCommand;
import io.lfvit.app.cli.EtaCommand;
import io.lfvit.app.cli.FocusWorkerCommand;
import io.lfvit.app.cli.LocalizerCommand;
import io.lfvit.app.cli.ProduceCommand;
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
        subcommands = {TrainCommand.class, EvalCommand.class, DemoCommand.class, ProduceCommand.class, LocalizerCommand.class,
                FocusWorkerCommand.class, EtaCommand.class, CommandLine.HelpCommand.class})
public final class Lfvit {

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        int code = new CommandLine(new Lfvit()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
