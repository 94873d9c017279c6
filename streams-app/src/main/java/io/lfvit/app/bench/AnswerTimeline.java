package io.lfvit.app.bench;

import io.lfvit.app.demo.OutputReader;
import io.lfvit.app.demo.Tally;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every answer of a throughput row with its times, written next to the row's logs: what happened at a
 * row's start and end is read from it, not guessed. Also the row's {@link Pace}.
 */
final class AnswerTimeline implements OutputReader.Listener {
    /** One answer: when it was read, when its batch started (classified_at), when its image was captured. */
    private record Answer(long receivedMs, long classifiedMs, long capturedMs, String stage, double localizationMs,
            double focusMs) {}

    private final Tally tally;
    private final List<Answer> answers = new ArrayList<>();

    /** Answers go on to {@code tally}; those of events it did not produce (an earlier run's) are not kept. */
    AnswerTimeline(Tally tally) {
        this.tally = tally;
    }

    @Override
    public void classification(Classification c, long receivedAtMs) {
        tally.classification(c, receivedAtMs);
        if (!tally.isProduced(c.getEventId())) {
            return;
        }
        Double focusMs = c.getTimings().getFocusMs();
        synchronized (answers) {
            answers.add(new Answer(receivedAtMs, c.getClassifiedAt().toEpochMilli(), c.getCaptureTime().toEpochMilli(),
                    c.getStage().toString(), c.getTimings().getLocalizationMs(), focusMs == null ? 0 : focusMs));
        }
    }

    @Override
    public void deadLetter(DeadLetter d, long receivedAtMs) {
        tally.deadLetter(d, receivedAtMs);
    }

    /** The row's pace, from its first input (wall-clock ms). */
    Pace pace(double firstInputMs) {
        synchronized (answers) {
            long[] received = answers.stream().mapToLong(Answer::receivedMs).sorted().toArray();
            long lastClassified = answers.stream().mapToLong(Answer::classifiedMs).max().orElse(0);
            return Pace.of(received, firstInputMs, lastClassified);
        }
    }

    /**
     * Capture-to-read percentiles ({@code quantiles}, e.g. 0.5, 0.99) of the answers of each stage apart
     * ({@code LOCALIZATION}: early exits; {@code FOCUS}), keyed "p50_ms", "p99_ms", plus "answers".
     */
    Map<String, Map<String, Double>> percentilesByStage(double... quantiles) {
        Map<String, List<Long>> byStage = new TreeMap<>();
        synchronized (answers) {
            for (Answer a : answers) {
                byStage.computeIfAbsent(a.stage(), s -> new ArrayList<>()).add(a.receivedMs() - a.capturedMs());
            }
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        byStage.forEach((stage, latencies) -> {
            double[] sorted = latencies.stream().mapToDouble(Long::doubleValue).sorted().toArray();
            Map<String, Double> p = new LinkedHashMap<>();
            p.put("answers", (double) sorted.length);
            for (double q : quantiles) {
                p.put(String.format(Locale.ROOT, "p%.0f_ms", 100 * q), Tally.nearestRank(sorted, q));
            }
            out.put(stage.toLowerCase(Locale.ROOT), p);
        });
        return out;
    }

    /** One line per answer, times in ms from {@code originMs} (the row's first input). */
    void write(Path csv, long originMs) throws IOException {
        List<String> out = new ArrayList<>();
        out.add("received_ms,classified_ms,captured_ms,stage,localization_ms,focus_ms");
        synchronized (answers) {
            for (Answer a : answers) {
                out.add(String.format(Locale.ROOT, "%d,%d,%d,%s,%.2f,%.2f", a.receivedMs() - originMs,
                        a.classifiedMs() - originMs, a.capturedMs() - originMs, a.stage(), a.localizationMs(), a.focusMs()));
            }
        }
        Files.write(csv, out);
    }
}
