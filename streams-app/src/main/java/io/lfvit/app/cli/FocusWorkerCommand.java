package io.lfvit.app.cli;

import io.lfvit.app.apps.Apps;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "focus-worker", mixinStandardHelpOptions = true,
        description = "Runs the focus stage (its own Kafka Streams application id focus.application.id, consumer group and device): focus-tasks -> classifications | images-dlq. Scale it by starting more.")
public final class FocusWorkerCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        return ServeCommand.serve("focus-worker", config.load(), Apps::focusWorker);
    }
}
