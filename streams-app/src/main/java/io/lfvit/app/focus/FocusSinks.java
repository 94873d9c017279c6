package io.lfvit.app.focus;

/** Names of the focus worker topology's sink nodes. */
public record FocusSinks(String classifications, String deadLetters) {
    public static final FocusSinks DEFAULT = new FocusSinks("classifications-sink", "dead-letters-sink");
}
