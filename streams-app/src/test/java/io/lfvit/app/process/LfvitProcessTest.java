package io.lfvit.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bench's per-thread CPU readings from /proc, checked on this JVM. */
class LfvitProcessTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void threadsAddUpToTheProcessAndTheJitThreadsAreFoundByName() throws Exception {
        long sink = 0;
        for (int i = 0; i < 20_000_000; i++) { // busy for a while: the process CPU and the JIT both move
            sink += Integer.rotateLeft(i, i & 31) ^ sink;
        }
        double allThreads = LfvitProcess.threadCpuSeconds(SELF, name -> true);
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double process = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        // threads that ended (JUnit's, the JVM's start-up helpers) count in the process and not in the tasks
        assertTrue(allThreads <= process + 0.05, allThreads + " s over the threads, " + process + " s for the process");
        assertTrue(allThreads >= 0.5 * process, allThreads + " s over the threads, " + process + " s for the process");
        double jit = LfvitProcess.threadCpuSeconds(SELF,
                name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"));
        assertTrue(jit > 0 && jit < allThreads, "JIT " + jit + " s of " + allThreads + " s (sink " + sink + ")");
        assertEquals(0.0, LfvitProcess.threadCpuSeconds(SELF, name -> name.equals("no such thread")));
    }
}
