package io.lfvit.schemas.registry;

import java.util.List;

/** Outcome of a compatibility test; the messages say what breaks when it is not compatible. */
public record CompatibilityCheck(boolean compatible, List<String> messages) {
    public CompatibilityCheck {
        messages = List.copyOf(messages);
    }
}
