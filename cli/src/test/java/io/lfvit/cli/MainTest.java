package io.lfvit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.Lfvit;
import io.lfvit.trainer.cli.EvalCommand;
import io.lfvit.trainer.cli.TrainCommand;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    private final CommandLine lfvit = Lfvit.commandLine(new TrainCommand(), new EvalCommand());

    @Test
    void theLauncherOffersTheTrainersCommandsNextToTheServingOnes() {
        assertTrue(lfvit.getSubcommands().keySet().containsAll(
                List.of("train", "eval", "localizer", "focus-worker", "demo", "bench")), lfvit.getSubcommands().keySet()::toString);
    }

    @Test
    void theTrainersOptionsReadEnumValuesInAnyCaseAsTheServingOnesDo() {
        CommandLine.ParseResult parsed = lfvit.parseArgs("train", "--family", "vit", "--out", "runs/x");
        Object family = parsed.subcommand().matchedOptionValue("--family", null);
        assertEquals("VIT", family.toString());
    }
}
