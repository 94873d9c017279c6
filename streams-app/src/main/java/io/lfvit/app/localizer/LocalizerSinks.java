package io.lfvit.app.localizer;

/** Names of the localizer topology's sink nodes. */
public record LocalizerSinks(String classifications, String focusTasks, String deadLetters) {
    public static final LocalizerSinks DEFAULT = new LocalizerSinks("classifications-sink", "focus-tasks-sink", "dead-letters-sink");
}
