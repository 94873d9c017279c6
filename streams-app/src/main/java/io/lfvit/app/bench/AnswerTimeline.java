package io.lfvit.app.bench;

import io.lfvit.app.demo.OutputReader;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every answer of a throughput row with its times, written next to the row's logs: what happened at a
 * row's start and end is read from it, not guessed. Also the row's {@link Pace}.
 */
final class AnswerTimeline implements OutputReader.Listener {
    /** One answer: when it was read, when its batch started (classified_at), when its image was captured. */
    private record Answer(long receivedMs, long classifiedMs, long capturedMs, String stage, double localizationMs,
            double focusMs) {}

    private final OutputReader.Listener next;
    private final List<Answer> answers = new ArrayList<>();

    AnswerTimeline(OutputReader.Listener next) {
        this.next = next;
    }

    @Override
    public void classification(Classification c, long receivedAtMs) {
        next.classification(c, receivedAtMs);
        Double focusMs = c.getTimings().getFocusMs();
        synchronized (answers) {
            answers.add(new Answer(receivedAtMs, c.getClassifiedAt().toEpochMilli(), c.getCaptureTime().toEpochMilli(),
                    c.getStage().toString(), c.getTimings().getLocalizationMs(), focusMs == null ? 0 : focusMs));
        }
    }

    @Override
    public void deadLetter(DeadLetter d, long receivedAtMs) {
        next.deadLetter(d, receivedAtMs);
    }

    /** The row's pace, from its first input (wall-clock ms). */
    Pace pace(double firstInputMs) {
        synchronized (answers) {
            long[] received = answers.stream().mapToLong(Answer::receivedMs).sorted().toArray();
            long lastClassified = answers.stream().mapToLong(Answer::classifiedMs).max().orElse(0);
            return Pace.of(received, firstInputMs, lastClassified);
        }
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
