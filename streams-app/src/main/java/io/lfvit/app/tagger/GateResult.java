package io.lfvit.app.tagger;

import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetter;

/** What the gate lets through: an answer for its window (flagged late when within grace), or a dead letter. */
record GateResult(Classification answer, boolean late, DeadLetter deadLetter) {
    static GateResult answer(Classification c, boolean late) {
        return new GateResult(c, late, null);
    }

    static GateResult dead(DeadLetter d) {
        return new GateResult(null, false, d);
    }

    boolean isDead() {
        return deadLetter != null;
    }
}
