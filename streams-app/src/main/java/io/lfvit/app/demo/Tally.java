package io.lfvit.app.demo;

import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What came out, per event id: the answer count (exactly one expected), exits, degraded answers,
 * accuracy against the labels, and latency from capture to the answer being readable (committed).
 */
public final class Tally implements OutputReader.Listener {
    private final Set<UUID> produced = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Integer> answers = new ConcurrentHashMap<>();
    private final List<Double> latenciesMs = new ArrayList<>();
    private long classified;
    private long exits;
    private long degraded;
    private long labelled;
    private long correct;
    private long deadLettered;
    private long duplicates;
    private long unknown;
    private long lastReceivedMs;
    private double deliverySumMs;
    private final Map<Double, long[]> byEta = new TreeMap<>(); // eta -> {classified, exits, labelled, correct}

    /** The answers given under one eta (the value each Classification records). */
    public record EtaShare(double eta, long classified, double exitRate, double accuracy) {}

    public void produced(UUID id) {
        produced.add(id);
    }

    @Override
    public synchronized void classification(Classification c, long receivedAtMs) {
        if (answers.merge(c.getEventId(), 1, Integer::sum) > 1) {
            duplicates++;
        }
        if (!produced.contains(c.getEventId())) {
            unknown++;
        }
        classified++;
        if (c.getDegraded()) {
            degraded++;
        } else if (c.getStage() == Stage.LOCALIZATION) {
            exits++;
        }
        long[] share = byEta.computeIfAbsent(c.getEta(), eta -> new long[4]);
        share[0]++;
        if (!c.getDegraded() && c.getStage() == Stage.LOCALIZATION) {
            share[1]++;
        }
        if (c.getLabel() != null) {
            labelled++;
            share[2]++;
            if (c.getLabel() == c.getClassIndex()) {
                correct++;
                share[3]++;
            }
        }
        if (produced.contains(c.getEventId())) { // another run's answers on a reused topic are not ours to time
            latenciesMs.add((double) (receivedAtMs - c.getCaptureTime().toEpochMilli()));
            deliverySumMs += Math.max(0, receivedAtMs - c.getClassifiedAt().toEpochMilli());
        }
        lastReceivedMs = Math.max(lastReceivedMs, receivedAtMs);
    }

    @Override
    public synchronized void deadLetter(DeadLetter d, long receivedAtMs) {
        lastReceivedMs = Math.max(lastReceivedMs, receivedAtMs);
        deadLetter(d);
    }

    /** Wall-clock ms at which the last answer or dead letter was read (committed). */
    public synchronized long lastReceivedMs() {
        return lastReceivedMs;
    }

    /** Mean ms from an answer's production to its being read committed: the transaction commit and the fetch. */
    public synchronized double meanDeliveryMs() {
        return latenciesMs.isEmpty() ? Double.NaN : deliverySumMs / latenciesMs.size();
    }

    public synchronized void deadLetter(DeadLetter d) {
        if (d.getEventId() != null && answers.merge(d.getEventId(), 1, Integer::sum) > 1) {
            duplicates++;
        }
        deadLettered++;
    }

    /** Whether {@code id} is one of the events this tally counts (not another run's on a reused topic). */
    public boolean isProduced(UUID id) {
        return produced.contains(id);
    }

    public int produced() {
        return produced.size();
    }

    public synchronized long classified() { return classified; }
    public synchronized long exits() { return exits; }
    public synchronized long degraded() { return degraded; }
    public synchronized long deadLettered() { return deadLettered; }
    public synchronized long duplicates() { return duplicates; }
    public synchronized long unknown() { return unknown; }

    public synchronized long answered() {
        return classified + deadLettered;
    }

    /** Early exits among the classified (degraded answers are not exits). */
    public synchronized double exitRate() {
        return classified == 0 ? 0 : (double) exits / classified;
    }

    public synchronized double accuracy() {
        return labelled == 0 ? Double.NaN : (double) correct / labelled;
    }

    /** Classified answers per eta, lowest eta first: shows a runtime eta change taking effect. */
    public synchronized List<EtaShare> byEta() {
        List<EtaShare> out = new ArrayList<>();
        byEta.forEach((eta, n) -> out.add(new EtaShare(eta, n[0], (double) n[1] / n[0], n[2] == 0 ? Double.NaN : (double) n[3] / n[2])));
        return out;
    }

    public synchronized long missing() {
        return produced.stream().filter(id -> !answers.containsKey(id)).count();
    }

    public synchronized double percentileMs(double q) {
        if (latenciesMs.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = latenciesMs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return nearestRank(sorted, q);
    }

    /** The {@code q}-quantile (nearest rank) of ascending {@code sorted}, which is not empty. */
    public static double nearestRank(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
