package io.lfvit.app.faults;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.demo.OutputReader;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.Stage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What went in and what came out of one case, per event id: every image the broker acknowledged, with
 * the dead-letter reason it must get when it is a deliberately bad one, and every committed answer and
 * dead letter, read as a downstream consumer would (read_committed), each with the time it was read.
 */
final class OutputLedger implements OutputReader.Listener, AutoCloseable {
    /** One committed output record. */
    record Output(UUID eventId, boolean deadLetter, long captureMs, long receivedMs, boolean degraded, String degradedReason,
            DeadLetterReason reason, String detail, boolean focus) {}

    private final Map<UUID, Long> produced = new ConcurrentHashMap<>(); // event id -> capture time
    private final Map<UUID, DeadLetterReason> expectedDeadLetters = new ConcurrentHashMap<>();
    private final List<Output> outputs = new ArrayList<>();
    private final Deserializer<ImageEvent> images;
    private final OutputReader reader;

    OutputLedger(AppConfig config, Topics topics) {
        images = topics.images().valueSerde().deserializer();
        reader = new OutputReader(config, topics, this);
    }

    @Override
    public void classification(Classification c, long receivedAtMs) {
        record(new Output(c.getEventId(), false, c.getCaptureTime().toEpochMilli(), receivedAtMs, c.getDegraded(),
                c.getDegradedReason() == null ? null : c.getDegradedReason().toString(), null, null, c.getStage() == Stage.FOCUS));
    }

    @Override
    public void deadLetter(DeadLetter d, long receivedAtMs) {
        record(new Output(eventIdOf(d, images), true, d.getTimestamp() == null ? receivedAtMs : d.getTimestamp().toEpochMilli(),
                receivedAtMs, false, null, d.getReasonCode(), d.getReason().toString(), false));
    }

    private void record(Output o) {
        synchronized (outputs) {
            outputs.add(o);
        }
    }

    /**
     * The event id of a dead letter: its own field, or, when the localizer could not decode the image's Avro
     * (e.g. its registry was unreachable), from the original bytes it carries, decoded here; null when neither.
     */
    private static UUID eventIdOf(DeadLetter d, Deserializer<ImageEvent> images) {
        if (d.getEventId() != null) {
            return d.getEventId();
        }
        if (d.getValue() == null) {
            return null;
        }
        try {
            byte[] original = new byte[d.getValue().remaining()];
            d.getValue().duplicate().get(original);
            return images.deserialize(d.getTopic().toString(), original).getEventId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** An image the broker acknowledged; {@code mustDeadLetter}: the reason it must be rejected with, else null. */
    void produced(ImageEvent e, DeadLetterReason mustDeadLetter) {
        produced.put(e.getEventId(), e.getCaptureTime().toEpochMilli());
        if (mustDeadLetter != null) {
            expectedDeadLetters.put(e.getEventId(), mustDeadLetter);
        }
    }

    int producedCount() {
        return produced.size();
    }

    List<Output> outputs() {
        RuntimeException failure = reader.failure();
        if (failure != null) {
            throw new IllegalStateException("reading the outputs failed: " + failure, failure);
        }
        synchronized (outputs) {
            return List.copyOf(outputs);
        }
    }

    /** Produced images without any output yet. */
    long missing() {
        Set<UUID> seen = new java.util.HashSet<>();
        outputs().forEach(o -> seen.add(o.eventId())); // a null id (an unidentifiable dead letter) matches no image
        return produced.keySet().stream().filter(id -> !seen.contains(id)).count();
    }

    /** Read time of the first output for an image captured at or after {@code sinceMs}; -1 when none yet. */
    long firstAnswerToImageCapturedSince(long sinceMs) {
        return outputs().stream().filter(o -> o.captureMs() >= sinceMs).mapToLong(Output::receivedMs).min().orElse(-1);
    }

    /** Read time of the first focus-stage answer for an image captured at or after {@code sinceMs}; -1 when none yet. */
    long firstFocusAnswerToImageCapturedSince(long sinceMs) {
        return outputs().stream().filter(o -> o.focus() && o.captureMs() >= sinceMs).mapToLong(Output::receivedMs).min().orElse(-1);
    }

    long focusAnswers() {
        return outputs().stream().filter(Output::focus).count();
    }

    /** The counts of the case, and every broken promise as a sentence. */
    Counts counts() {
        List<Output> all = outputs();
        Map<UUID, Integer> perEvent = new HashMap<>();
        all.stream().filter(o -> o.eventId() != null).forEach(o -> perEvent.merge(o.eventId(), 1, Integer::sum));
        long answered = all.stream().filter(o -> !o.deadLetter()).map(Output::eventId).distinct().count();
        long deadLettered = all.stream().filter(Output::deadLetter).map(Output::eventId).distinct().count();
        long degraded = all.stream().filter(Output::degraded).count();
        long lost = produced.keySet().stream().filter(id -> !perEvent.containsKey(id)).count();
        long duplicated = perEvent.values().stream().filter(n -> n > 1).count();
        List<String> problems = new ArrayList<>();
        long unknown = perEvent.keySet().stream().filter(id -> !produced.containsKey(id)).count();
        if (unknown > 0) {
            problems.add(unknown + " outputs for images that were not produced");
        }
        long anonymous = all.stream().filter(o -> o.eventId() == null).count();
        if (anonymous > 0) {
            problems.add(anonymous + " dead letters whose image cannot be identified");
        }
        Map<String, List<String>> wrong = new java.util.TreeMap<>(); // what went wrong -> the details, one example shown
        for (Output o : all) {
            if (o.deadLetter()) {
                DeadLetterReason expected = expectedDeadLetters.get(o.eventId());
                if (expected == null) {
                    wrong.computeIfAbsent("good images dead-lettered as " + o.reason(), k -> new ArrayList<>()).add(o.detail());
                } else if (expected != o.reason()) {
                    wrong.computeIfAbsent("corrupt images dead-lettered as " + o.reason() + ", not " + expected,
                            k -> new ArrayList<>()).add(o.detail());
                }
            } else if (expectedDeadLetters.containsKey(o.eventId())) {
                wrong.computeIfAbsent("corrupt images classified instead of dead-lettered", k -> new ArrayList<>()).add("");
            }
        }
        wrong.forEach((what, details) -> problems.add(details.size() + " " + what
                + (details.get(0).isEmpty() ? "" : " (e.g. " + details.get(0) + ")")));
        return new Counts(produced.size(), answered, deadLettered, lost, duplicated, degraded, problems);
    }

    record Counts(long images, long answered, long deadLettered, long lost, long duplicated, long degraded, List<String> problems) {}

    @Override
    public void close() {
        reader.close();
    }
}
