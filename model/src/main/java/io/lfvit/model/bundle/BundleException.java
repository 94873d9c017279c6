package io.lfvit.model.bundle;

import java.io.IOException;

/** A model bundle that is missing, malformed, or inconsistent with itself or with its user. */
public final class BundleException extends IOException {
    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
