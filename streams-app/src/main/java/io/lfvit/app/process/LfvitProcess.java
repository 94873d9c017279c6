package io.lfvit.app.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@code lfvit} subcommand in its own JVM (this JVM's classpath), its output in a log file: the
 * bench's broker and apps, and the fault tests' children. {@link #close()} is SIGTERM (the app's shutdown
 * hook closes Kafka Streams), {@link #kill()} SIGKILL (no hook, no close, no commit: a crash).
 */
public final class LfvitProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    /**
     * glibc's malloc keeps up to 1 GiB of freed memory per arena and serves allocations of up to 32 MiB from
     * its arenas: PyTorch's tensors, freed after each batch, are reused by the next instead of being returned
     * to the kernel and faulted in again, zeroed (the thresholds glibc sets itself move with the tensors'
     * changing sizes). The same value as ./lfvit and the container image.
     */
    public static final String GLIBC_TUNABLES =
            "glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=33554432";

    private LfvitProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code io.lfvit.app.Lfvit args...}; LFVIT_* variables of this JVM are not passed on. */
    public static LfvitProcess start(String name, Path log, String heap, List<String> jvmOptions, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "io.lfvit.app.Lfvit"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("LFVIT_")); // the bench passes every setting itself
        // as ./lfvit starts the serving commands: OpenMP threads that share cores with other processes sleep, not spin
        builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        // and as ./lfvit starts every command: malloc keeps freed tensor memory for the next batch
        builder.environment().putIfAbsent("GLIBC_TUNABLES", GLIBC_TUNABLES);
        builder.environment().put("DJL_OFFLINE", "true");
        return new LfvitProcess(name, builder.start(), log);
    }

    /** Waits until the log shows {@code text}; fails at once when the process ends first. */
    public void awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before logging '" + text
                        + "':\n" + tail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not log '" + text + "' within " + timeout + ":\n" + tail(30));
            }
            Thread.sleep(50);
        }
    }

    /**
     * CPU seconds (user + system) the process has used so far, from /proc (Linux); NaN where there is none.
     * Clock ticks are taken as 100 per second, the kernel's USER_HZ on every Linux we run on.
     */
    public double cpuSeconds() {
        try {
            return cpuTicks(Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"))) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU seconds the JVM's JIT compiler threads (HotSpot's "C1/C2 CompilerThread", named so in /proc) have
     * used so far; NaN where /proc has none. A JVM still compiling is still warming up.
     */
    public double compilerCpuSeconds() {
        return threadCpuSeconds(process.pid(), LfvitProcess::isCompilerThread);
    }

    /** As {@link #compilerCpuSeconds()}, for this JVM's own compiler threads. */
    public static double ownCompilerCpuSeconds() {
        return threadCpuSeconds(ProcessHandle.current().pid(), LfvitProcess::isCompilerThread);
    }

    private static boolean isCompilerThread(String comm) {
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    /** CPU seconds of the threads of {@code pid} whose name (/proc's comm, 15 characters at most) matches. */
    static double threadCpuSeconds(long pid, java.util.function.Predicate<String> name) {
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        long ticks = 0;
        try (var threads = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) threads::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue; // the thread ended between the listing and the read
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.test(comm)) {
                    ticks += cpuTicks(stat);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return ticks / 100.0;
    }

    /** utime + stime (fields 14 and 15) of a /proc stat line, in clock ticks; the name before them may hold spaces. */
    private static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The operating system's process id (for /proc readings). */
    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "---- " + name + " (" + log + ") ----\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "---- " + name + ": cannot read " + log + ": " + e;
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: the crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (the app's shutdown hook closes Kafka Streams), SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
