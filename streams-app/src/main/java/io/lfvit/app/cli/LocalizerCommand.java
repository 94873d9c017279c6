package io.lfvit.app.cli;

import io.lfvit.app.apps.Apps;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "localizer", mixinStandardHelpOptions = true,
        description = "Runs the localization stage (Kafka Streams, application id localizer.application.id) against any Kafka and schema registry: images -> classifications | focus-tasks | images-dlq.")
public final class LocalizerCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        return ServeCommand.serve("localizer", config.load(), Apps::localizer);
    }
}
