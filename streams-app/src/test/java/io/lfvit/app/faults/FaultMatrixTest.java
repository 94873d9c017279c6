package io.lfvit.app.faults;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.faults.FaultMatrix.CaseResult;
import io.lfvit.app.faults.FaultMatrix.Fault;
import io.lfvit.data.FashionMnist;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole fault matrix ({@code lfvit faults}) as CI runs it: a broker in its own JVM, the shipped model in a
 * localizer and focus workers in their own JVMs, every case of the issue made for real (SIGKILLs, a broker
 * restart, a registry outage with new schema versions, scaling out and in, a 10x slower focus worker without
 * and with a deadline). Every case: nothing lost, nothing duplicated (read_committed), every dead letter a
 * deliberately corrupt image with its true reason, and the case's own condition (see {@link FaultMatrix}).
 * The table and target/faults.json are what the README's table is made from.
 */
class FaultMatrixTest {
    static final Path SHIPPED = Path.of("..", "models", "lfvit");

    @Test
    void everyFaultCaseAnswersEveryImageExactlyOnce(@TempDir Path work) throws Exception {
        FaultMatrix.Settings settings = new FaultMatrix.Settings(SHIPPED, FashionMnist.DEFAULT_DIR, work, 300, 15, 4,
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), Map.of());
        List<CaseResult> results;
        try (FaultMatrix matrix = new FaultMatrix(settings, System.out)) {
            results = matrix.run(List.of(Fault.values()));
        }
        FaultReport.table(results, System.out);
        FaultReport.write(Path.of("target", "faults.json"), FaultReport.json(results));

        assertEquals(Fault.values().length, results.size());
        List<Executable> checks = new ArrayList<>();
        for (CaseResult r : results) {
            checks.add(() -> assertEquals(0, r.lost(), r.number() + " lost"));
            checks.add(() -> assertEquals(0, r.duplicated(), r.number() + " duplicated"));
            checks.add(() -> assertTrue(r.problems().isEmpty(), r.number() + ": " + r.problems()));
            checks.add(() -> assertTrue(r.deadLetterReasonsTrue(), r.number() + " dead-letter reasons"));
            // every case sent corrupt images among the good ones: their dead letters were checked, not absent
            checks.add(() -> assertTrue(r.deadLettered() > 0 && r.images() >= 300 && r.answered() + r.deadLettered() == r.images(),
                    r.number() + ": " + r));
        }
        assertAll(checks);
    }
}
