package io.lfvit.cli;

import io.lfvit.app.Lfvit;
import io.lfvit.trainer.cli.EvalCommand;
import io.lfvit.trainer.cli.TrainCommand;

/** The {@code ./lfvit} launcher's entry point: the serving commands plus {@code train} and {@code eval}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(Lfvit.execute(Lfvit.commandLine(new TrainCommand(), new EvalCommand()), args));
    }
}
