package io.lfvit.app.tagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.support.TestRegistry;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.ClassTag;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.FrameTags;
import io.lfvit.schemas.avro.Stage;
import io.lfvit.schemas.avro.StageTimings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tagger on the TopologyTestDriver, windows of 1 s with 2 s grace: one final FrameTags per source and
 * window, out-of-order frames in the right window, late frames within grace counted in the window,
 * frames past grace counted in the metric (and nowhere else), several sources apart, bad records dead-lettered.
 */
class TaggerTopologyTest {
    private static final long T0 = 1_700_000_000_000L; // a whole second
    private static final long WINDOW = 1000;
    private static final long GRACE = 2000;

    @TempDir
    Path tmp;

    private TestRegistry registry;
    private TopologyTestDriver driver;
    private TaggerMetrics metrics;
    private TestInputTopic<String, Classification> answers;
    private TestInputTopic<String, byte[]> rawAnswers;
    private TestOutputTopic<String, FrameTags> tags;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void setUp() {
        registry = new TestRegistry();
        metrics = new TaggerMetrics(new SimpleMeterRegistry());
        AppConfig config = AppConfig.defaults().with(AppConfig.TAGGER_WINDOW_MS, WINDOW).with(AppConfig.TAGGER_GRACE_MS, GRACE)
                .with(AppConfig.STATE_DIR, tmp.toString());
        Topics topics = registry.topics(config);
        driver = new TopologyTestDriver(TaggerTopology.build(config, topics, metrics), StreamsProps.forApp(config, "tagger-test"));
        answers = driver.createInputTopic(topics.classifications().name(), Serdes.String().serializer(),
                topics.classifications().valueSerde().serializer());
        rawAnswers = driver.createInputTopic(topics.classifications().name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        tags = driver.createOutputTopic(topics.frameTags().name(), Serdes.String().deserializer(),
                topics.frameTags().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.String().deserializer(),
                topics.deadLetters().valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
        registry.close();
    }

    private static Classification answer(String source, long seq, long captureMs, int cls, double confidence, Stage stage,
            boolean degraded) {
        return Classification.newBuilder().setEventId(UUID.randomUUID()).setSourceId(source).setFrameSeq(seq)
                .setClassIndex(cls).setClassName("class-" + cls).setConfidence((float) confidence).setStage(stage)
                .setEta(0.8).setModelVersion("test").setTimings(StageTimings.newBuilder().setLocalizationMs(1).build())
                .setCaptureTime(Instant.ofEpochMilli(captureMs)).setClassifiedAt(Instant.ofEpochMilli(captureMs + 50))
                .setDegraded(degraded).setDegradedReason(degraded ? "deadline" : null).build();
    }

    /** A frame of {@code source} captured {@code offsetMs} after T0, answered class {@code cls} at confidence 0.5. */
    private void frame(String source, long seq, long offsetMs, int cls) {
        answers.pipeInput(source, answer(source, seq, T0 + offsetMs, cls, 0.5, Stage.LOCALIZATION, false));
    }

    private Map<Long, FrameTags> windowsOf(List<FrameTags> out, String source) {
        return out.stream().filter(t -> t.getSourceId().equals(source))
                .collect(Collectors.toMap(t -> t.getWindowStart().toEpochMilli() - T0, t -> t));
    }

    @Test
    void oneFinalRecordPerWindowWithClassesCountsAndMeanConfidence() {
        answers.pipeInput("cam-1", answer("cam-1", 0, T0 + 100, 3, 0.9, Stage.LOCALIZATION, false));
        answers.pipeInput("cam-1", answer("cam-1", 1, T0 + 300, 3, 0.7, Stage.FOCUS, false));
        answers.pipeInput("cam-1", answer("cam-1", 2, T0 + 600, 5, 0.4, Stage.LOCALIZATION, true));
        answers.pipeInput("cam-1", answer("cam-1", 3, T0 + 1200, 5, 0.6, Stage.LOCALIZATION, false));
        assertTrue(tags.isEmpty(), "nothing before the window closes (end + grace)");
        frame("cam-1", 4, 2999, 1); // stream time 2999: window [0, 1000) closes at 3000
        assertTrue(tags.isEmpty(), "window [0, 1000) is still within grace at stream time 2999");
        frame("cam-1", 5, 3000, 1);
        List<FrameTags> out = tags.readValuesToList();
        assertEquals(1, out.size(), "exactly one record for the closed window: " + out);
        FrameTags w = out.get(0);
        assertEquals("cam-1", w.getSourceId());
        assertEquals(T0, w.getWindowStart().toEpochMilli());
        assertEquals(T0 + WINDOW, w.getWindowEnd().toEpochMilli());
        assertEquals(3, w.getFrames());
        assertEquals(0, w.getFirstFrameSeq());
        assertEquals(2, w.getLastFrameSeq());
        assertEquals(1, w.getFocusFrames());
        assertEquals(1, w.getDegraded());
        assertEquals(0, w.getLateFrames());
        List<ClassTag> classes = w.getClasses();
        assertEquals(2, classes.size());
        assertEquals(3, classes.get(0).getClassIndex(), "most frames first");
        assertEquals(2, classes.get(0).getFrames());
        assertEquals(0.8, classes.get(0).getMeanConfidence(), 1e-6);
        assertEquals("class-3", classes.get(0).getClassName());
        assertEquals(5, classes.get(1).getClassIndex());
        assertEquals(1, classes.get(1).getFrames());
        assertEquals(0.4, classes.get(1).getMeanConfidence(), 1e-6);
    }

    @Test
    void outOfOrderFramesLandInTheirCaptureTimeWindow() {
        frame("cam-1", 0, 800, 2);
        frame("cam-1", 1, 300, 2);   // earlier capture, arrives later: same window, not yet ended
        frame("cam-1", 2, 1500, 1);
        frame("cam-1", 3, 1100, 1);  // out of order again, window [1000, 2000) still running
        frame("cam-1", 4, 10_000, 0); // closes both
        Map<Long, FrameTags> w = windowsOf(tags.readValuesToList(), "cam-1");
        assertEquals(2, w.size(), "windows [0,1000) and [1000,2000): " + w);
        assertEquals(2, w.get(0L).getFrames());
        assertEquals(0, w.get(0L).getFirstFrameSeq());
        assertEquals(1, w.get(0L).getLastFrameSeq());
        assertEquals(2, w.get(0L).getClasses().get(0).getClassIndex());
        assertEquals(0, w.get(0L).getLateFrames(), "out of order, but its window had not ended in stream time");
        assertEquals(2, w.get(1000L).getFrames());
        assertEquals(0, w.get(1000L).getLateFrames());
        assertEquals(1, w.get(1000L).getClasses().get(0).getClassIndex());
    }

    @Test
    void lateWithinGraceIsCountedInItsWindowAndTooLateInTheMetricOnly() {
        frame("cam-1", 0, 100, 1);
        frame("cam-1", 1, 2500, 1);  // stream time 2500: [0,1000) ended, open until 3000
        frame("cam-1", 2, 400, 1);   // late within grace
        frame("cam-1", 3, 3200, 1);  // stream time 3200: [0,1000) closes
        frame("cam-1", 4, 700, 1);   // too late: its window closed
        frame("cam-1", 5, 10_000, 1);
        Map<Long, FrameTags> w = windowsOf(tags.readValuesToList(), "cam-1");
        assertEquals(2, w.get(0L).getFrames(), "the in-time frame and the late one within grace");
        assertEquals(1, w.get(0L).getLateFrames());
        assertEquals(1.0, metrics.count("lfvit.tagger.late.accepted", "source", "cam-1"));
        assertEquals(1.0, metrics.count("lfvit.tagger.late.dropped", "source", "cam-1"));
        long tagged = w.values().stream().mapToLong(FrameTags::getFrames).sum();
        assertEquals(6 - 1 - 1, tagged, "frames in closed windows; frame 5's window is still open");
        assertEquals(0.0, streamsDroppedRecords(), "Kafka Streams itself dropped nothing: the gate counted it first");
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void severalSourcesHaveTheirOwnWindows() {
        frame("cam-1", 0, 100, 1);
        frame("cam-2", 0, 150, 7);
        frame("cam-2", 1, 250, 7);
        frame("cam-1", 1, 1100, 1);
        frame("cam-3", 0, 5000, 4); // stream time of the partition closes the windows of every source on it
        List<FrameTags> out = tags.readValuesToList();
        Map<Long, FrameTags> one = windowsOf(out, "cam-1");
        Map<Long, FrameTags> two = windowsOf(out, "cam-2");
        assertEquals(1, one.get(0L).getFrames());
        assertEquals(1, one.get(1000L).getFrames());
        assertEquals(2, two.get(0L).getFrames());
        assertEquals(7, two.get(0L).getClasses().get(0).getClassIndex());
        assertEquals(3, out.size(), "cam-1 twice, cam-2 once; cam-3's window is open: " + out);
    }

    @Test
    void undecodableAnswersGoToTheDeadLetterTopicAndCloseNoWindow() {
        frame("cam-1", 0, 100, 1);
        rawAnswers.pipeInput("cam-1", new byte[] {9, 9, 9}, T0 + 60_000); // a bad record with a far record timestamp
        assertTrue(tags.isEmpty(), "the bad record must not advance event time");
        List<DeadLetter> dead = deadLetters.readValuesToList();
        assertEquals(1, dead.size());
        assertEquals(DeadLetterReason.BAD_WIRE_FORMAT, dead.get(0).getReasonCode());
        assertEquals("tagger", dead.get(0).getStage());
        frame("cam-1", 1, 4000, 1);
        assertEquals(1, tags.readValuesToList().size());
    }

    private double streamsDroppedRecords() {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("dropped-records-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
