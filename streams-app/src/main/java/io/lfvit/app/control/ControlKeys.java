package io.lfvit.app.control;

/** Keys of the compacted control topic: {@code global}, or {@code source:<id>} for one source's override. */
public final class ControlKeys {
    public static final String GLOBAL = "global";
    public static final String SOURCE_PREFIX = "source:";
    /** ControlUpdate.settings entry: the focus deadline in ms after capture (0 = none). */
    public static final String DEADLINE_MS = "deadline.ms";

    private ControlKeys() {}

    public static String forSource(String sourceId) {
        return SOURCE_PREFIX + sourceId;
    }

    /** {@code null} for the global key. */
    public static String forSourceOrGlobal(String sourceId) {
        return sourceId == null ? GLOBAL : forSource(sourceId);
    }
}
