package io.lfvit.app.dev;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM as a request to stop, handled by the program instead of the JVM.
 *
 * <p>By default the JVM answers both by running its shutdown hooks and exiting with 128 + the signal
 * (130, 143), which a supervisor, a CI step or {@code docker stop} reads as "killed". A local stack
 * asked to stop that stops cleanly has succeeded: the first signal releases {@link #await}, the
 * caller closes everything in order and exits 0. A second signal while it does runs {@code force}
 * (for a stop that hangs).
 */
final class StopSignals {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();
    private volatile String first;

    /**
     * Handles SIGINT and SIGTERM from now on.
     *
     * @return false when the JVM does not let the program handle them (e.g. started with -Xrs)
     */
    boolean install(Runnable force) {
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                Signal.handle(new Signal(name), signal -> {
                    if (received.incrementAndGet() == 1) {
                        first = "SIG" + signal.getName();
                        requested.countDown();
                    } else {
                        force.run();
                    }
                });
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Blocks until the first signal. */
    void await() throws InterruptedException {
        requested.await();
    }

    /** True once a signal arrived (waiting at most {@code millis}). */
    boolean await(long millis) throws InterruptedException {
        return requested.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The first signal's name, e.g. SIGTERM; null before. */
    String first() {
        return first;
    }
}
