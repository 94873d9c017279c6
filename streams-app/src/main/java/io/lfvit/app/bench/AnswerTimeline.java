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
 * Every answer of a throughput row with its times, written next to the row's logs: where a row's seconds
 * went at its start and end (filling and draining) is read from it, not guessed.
 */
final class AnswerTimeline implements OutputReader.Listener {
    private final OutputReader.Listener next;
    private final List<String> lines = new ArrayList<>();

    AnswerTimeline(OutputReader.Listener next) {
        this.next = next;
    }

    @Override
    public void classification(Classification c, long receivedAtMs) {
        next.classification(c, receivedAtMs);
        synchronized (lines) {
            lines.add(receivedAtMs + "," + c.getClassifiedAt().toEpochMilli() + "," + c.getCaptureTime().toEpochMilli() + ","
                    + c.getStage() + String.format(Locale.ROOT, ",%.2f,%.2f", c.getTimings().getLocalizationMs(),
                            c.getTimings().getFocusMs() == null ? 0.0 : c.getTimings().getFocusMs()));
        }
    }

    @Override
    public void deadLetter(DeadLetter d, long receivedAtMs) {
        next.deadLetter(d, receivedAtMs);
    }

    /** Times in ms from {@code originMs} (the row's first input): received, classified (batch start), captured. */
    void write(Path csv, long originMs) throws IOException {
        List<String> out = new ArrayList<>();
        out.add("received_ms,classified_ms,captured_ms,stage,localization_ms,focus_ms");
        synchronized (lines) {
            for (String line : lines) {
                String[] f = line.split(",", 4);
                out.add((Long.parseLong(f[0]) - originMs) + "," + (Long.parseLong(f[1]) - originMs) + ","
                        + (Long.parseLong(f[2]) - originMs) + "," + f[3]);
            }
        }
        Files.write(csv, out);
    }
}
