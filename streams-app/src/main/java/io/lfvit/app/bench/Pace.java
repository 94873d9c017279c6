package io.lfvit.app.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a throughput row's answers came: their rate in the row's middle (from the 10th to the 90th percentile
 * of their read times: neither starting nor draining), the wait for the first answer (the apps' first
 * records: cold paths, the first commit), and the wait between the last answer's batch starting and its
 * being read (its model call, the last transaction commit, the fetch). The per-answer times are in the
 * row's {@code answers.csv} ({@link AnswerTimeline}).
 */
record Pace(double middleImagesPerS, double firstAnswerMs, double lastAnswerReadMs) {
    private static final double FROM = 0.1;
    private static final double TO = 0.9;

    /** From the answers' read times (sorted), the first input's admission and the last answer's batch start, ms. */
    static Pace of(long[] receivedMs, double firstInputMs, long lastClassifiedMs) {
        int n = receivedMs.length;
        if (n < 10) {
            return new Pace(Double.NaN, Double.NaN, Double.NaN);
        }
        int a = (int) Math.floor(FROM * (n - 1));
        int b = (int) Math.ceil(TO * (n - 1));
        double middle = receivedMs[b] == receivedMs[a] ? Double.NaN : (b - a) * 1000.0 / (receivedMs[b] - receivedMs[a]);
        return new Pace(middle, receivedMs[0] - firstInputMs, receivedMs[n - 1] - lastClassifiedMs);
    }

    Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("middle_images_per_s", round(middleImagesPerS));
        m.put("first_answer_ms", round(firstAnswerMs));
        m.put("last_answer_read_ms", round(lastAnswerReadMs));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
