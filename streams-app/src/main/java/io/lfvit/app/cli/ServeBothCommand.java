package io.lfvit.app.cli;

import io.lfvit.app.apps.Apps;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the localizer and a focus worker in one process, sharing its model replicas and device"
                + " (a small deployment; the layout of ./lfvit demo): images -> classifications | focus-tasks | images-dlq,"
                + " focus-tasks -> classifications | images-dlq. Each keeps its own application id and consumer group.")
public final class ServeBothCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        return ServeCommand.serve("serve", config.load(), List.of(Apps::localizer, Apps::focusWorker));
    }
}
