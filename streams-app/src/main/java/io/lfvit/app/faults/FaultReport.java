package io.lfvit.app.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The matrix as a table and as JSON: {"cases": [{"fault", "images", "answered", "dead_lettered", "lost", "duplicated", "recovery_s", ...}]}. */
public final class FaultReport {
    private FaultReport() {}

    public static void table(List<FaultMatrix.CaseResult> results, PrintStream out) {
        out.println();
        out.printf("| # | fault | images | answered | dead-lettered | lost | duplicated | recovery s | result |%n");
        out.printf("|---|---|---|---|---|---|---|---|---|%n");
        for (FaultMatrix.CaseResult r : results) {
            out.printf(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %s | %s |%n", r.number(), r.fault(), r.images(), r.answered(),
                    r.deadLettered(), r.lost(), r.duplicated(), r.recoveryS() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.recoveryS()),
                    r.ok() ? "ok" : "FAILED");
        }
        out.println();
        for (FaultMatrix.CaseResult r : results) {
            out.printf("  %s: %s%s%n", r.number(), r.note(), r.problems().isEmpty() ? "" : "; PROBLEMS: " + r.problems());
        }
    }

    public static Map<String, Object> json(List<FaultMatrix.CaseResult> results) {
        List<Map<String, Object>> cases = new ArrayList<>();
        for (FaultMatrix.CaseResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("case", r.number());
            m.put("fault", r.fault());
            m.put("images", r.images());
            m.put("answered", r.answered());
            m.put("dead_lettered", r.deadLettered());
            m.put("lost", r.lost());
            m.put("duplicated", r.duplicated());
            m.put("recovery_s", r.recoveryS() == null ? null : Math.round(r.recoveryS() * 10) / 10.0);
            m.put("degraded", r.degraded());
            m.put("dead_letter_reasons_true", r.deadLetterReasonsTrue());
            m.put("ok", r.ok());
            m.put("problems", r.problems());
            m.put("note", r.note());
            m.put("seconds", Math.round(r.seconds()));
            cases.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cases", cases);
        return root;
    }

    public static void soak(FaultMatrix.SoakResult r, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "soak: %.0f min at %.1f images/s (half of the measured %.1f images/s), split layout%n", r.minutes(),
                r.offeredImagesPerS(), r.capacityImagesPerS());
        out.println("| minute | process | heap MB | RSS MB | open files | threads | answers | p50 ms | p99 ms |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        List<FaultMatrix.SoakSample> samples = r.samples();
        for (int i = 0; i < samples.size(); i++) {
            if (i % 6 != 5 && i != samples.size() - 1) {
                continue; // one row a minute
            }
            FaultMatrix.SoakSample s = samples.get(i);
            for (FaultMatrix.ProcessSample p : s.processes()) {
                out.printf(Locale.ROOT, "| %.1f | %s | %.0f | %.0f | %d | %d | %d | %.0f | %.0f |%n", s.minute(), p.process(), p.heapMb(),
                        p.rssMb(), p.openFiles(), p.threads(), s.answers(), s.p50Ms(), s.p99Ms());
            }
        }
        out.println("trend (least-squares slope per 10 min, after the first 2 min): " + r.trendPer10Min());
        FaultMatrix.CaseResult c = r.counts();
        out.printf("counts: %d images, %d answered, %d dead-lettered, %d lost, %d duplicated; dead-letter reasons true: %s%s%n",
                c.images(), c.answered(), c.deadLettered(), c.lost(), c.duplicated(), c.deadLetterReasonsTrue(),
                c.problems().isEmpty() ? "" : "; PROBLEMS: " + c.problems());
    }

    public static Map<String, Object> soakJson(FaultMatrix.SoakResult r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("minutes", r.minutes());
        root.put("capacity_images_per_s", Math.round(r.capacityImagesPerS() * 10) / 10.0);
        root.put("offered_images_per_s", Math.round(r.offeredImagesPerS() * 10) / 10.0);
        root.put("counts", json(List.of(r.counts())).get("cases"));
        root.put("trend_per_10_min", r.trendPer10Min());
        root.put("samples", r.samples());
        return root;
    }

    public static void write(Path file, Map<String, Object> json) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }
}
