package io.lfvit.schemas.registry.embedded;

import io.lfvit.schemas.registry.CompatibilityLevel;
import io.lfvit.schemas.registry.RegisteredSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/** Applies a compatibility level with Avro's own reader/writer compatibility rules. */
final class CompatibilityChecker {
    private CompatibilityChecker() {}

    /**
     * Why {@code candidate} may not follow {@code history} (oldest first) under {@code level};
     * empty when it may. Non-transitive levels look at the newest version only.
     */
    static List<String> problems(CompatibilityLevel level, Schema candidate, List<RegisteredSchema> history) {
        if (level == CompatibilityLevel.NONE || history.isEmpty()) {
            return List.of();
        }
        List<RegisteredSchema> against = level.transitive() ? history : history.subList(history.size() - 1, history.size());
        List<String> problems = new ArrayList<>();
        for (RegisteredSchema earlier : against) {
            if (level.backward()) {
                problems.addAll(describe(candidate, earlier.schema(), "new schema reading data of version " + earlier.version()));
            }
            if (level.forward()) {
                problems.addAll(describe(earlier.schema(), candidate, "version " + earlier.version() + " reading data of the new schema"));
            }
        }
        return problems;
    }

    private static List<String> describe(Schema reader, Schema writer, String direction) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities().stream()
                .map(CompatibilityChecker::describe)
                .map(text -> text + " (" + direction + ")")
                .toList();
    }

    private static String describe(Incompatibility problem) {
        return "{errorType:'" + problem.getType() + "', description:'" + problem.getMessage()
                + "', location:'" + problem.getLocation() + "'}";
    }
}
