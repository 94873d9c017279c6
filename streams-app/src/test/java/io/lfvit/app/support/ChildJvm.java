package io.lfvit.app.support;

import io.lfvit.app.process.LfvitProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@code lfvit} subcommand in a child JVM on the test classpath, its output in a log file: a real
 * process that {@link #kill()} ends with SIGKILL (no shutdown hook, no close, no commit). Small and
 * quick to start: 512 MB, serial GC, C1, one intra-op thread.
 */
public final class ChildJvm implements AutoCloseable {
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dai.djl.pytorch.num_threads=1", "-Dorg.slf4j.simpleLogger.log.io.lfvit=info");

    private final LfvitProcess process;

    private ChildJvm(LfvitProcess process) {
        this.process = process;
    }

    /** Starts {@code io.lfvit.app.Lfvit args...}; LFVIT_* variables of this JVM are not passed on. */
    public static ChildJvm lfvit(String name, Path log, List<String> args) throws IOException {
        return new ChildJvm(LfvitProcess.start(name, log, "512m", JVM_OPTIONS, args));
    }

    /** Waits until the log shows {@code text}; fails at once if the process ends first. */
    public void awaitLog(String text, Duration timeout) throws Exception {
        process.awaitLog(text, timeout);
    }

    public boolean alive() {
        return process.alive();
    }

    /** SIGKILL: the crash. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGTERM (the shutdown hook closes Kafka Streams); SIGKILL if it does not end in 30 s. */
    public void stop() throws InterruptedException {
        process.close();
    }

    /** The last {@code lines} lines of the log, headed by the process name. */
    public String tail(int lines) {
        return process.tail(lines);
    }

    /** Kills the process if it still runs (a test that failed half way). */
    @Override
    public void close() throws InterruptedException {
        if (process.alive()) {
            kill();
        }
    }
}
