package io.lfvit.model.infer;

/** A focus payload made by another model version than the one loaded. */
public final class ModelVersionMismatchException extends IllegalArgumentException {
    private final String expected;
    private final String actual;

    public ModelVersionMismatchException(String expected, String actual) {
        super("focus payload was localized by model " + actual + " but this worker runs " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
