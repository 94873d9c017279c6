package io.lfvit.app.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The real image files under src/test/resources/images (made by make-fixtures.sh there). */
public final class ImageFixtures {
    private ImageFixtures() {}

    public static byte[] bytes(String name) {
        try (InputStream in = ImageFixtures.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture images/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
