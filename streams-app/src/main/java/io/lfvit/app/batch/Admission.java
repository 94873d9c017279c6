package io.lfvit.app.batch;

import java.util.List;

/** What a stage does with an arriving record: buffer it (decoded) for the next batch, or answer it now. */
public sealed interface Admission<T> {

    /** Joins the next batch; {@code decoded} is kept in memory so the flush does not decode again. */
    record Buffer<T>(T decoded) implements Admission<T> {}

    /** Answered without the model (a dead letter, a degraded answer): forwarded at once. */
    record Done<T>(List<Routed> outputs) implements Admission<T> {}

    static <T> Admission<T> buffer(T decoded) {
        return new Buffer<>(decoded);
    }

    static <T> Admission<T> done(Routed... outputs) {
        return new Done<>(List.of(outputs));
    }
}
