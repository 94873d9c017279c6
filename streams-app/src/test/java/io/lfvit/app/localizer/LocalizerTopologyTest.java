package io.lfvit.app.localizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.StreamsProps;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.support.Events;
import io.lfvit.app.support.ScriptedClassifier;
import io.lfvit.app.support.TestRegistry;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.DeadLetter;
import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.ImageEncoding;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.Stage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The localizer's routing, batching, eta control and dead letters, on the TopologyTestDriver. */
class LocalizerTopologyTest {
    @TempDir
    Path tmp;

    private TestRegistry registry;
    private ScriptedClassifier model;
    private InferenceExecutor executor;
    private Metrics metrics;
    private TopologyTestDriver driver;
    private Topics topics;
    private TestInputTopic<String, ImageEvent> images;
    private TestInputTopic<byte[], byte[]> rawImages;
    private TestInputTopic<String, ControlUpdate> control;
    private TestOutputTopic<String, Classification> classifications;
    private TestOutputTopic<String, FocusTask> focusTasks;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void setUp() {
        registry = new TestRegistry();
        model = new ScriptedClassifier("v1");
        executor = InferenceExecutor.of(() -> model);
        metrics = Metrics.inMemory();
    }

    private void start(AppConfig config) {
        topics = registry.topics(config);
        Properties props = StreamsProps.forApp(config, "localizer-test");
        driver = new TopologyTestDriver(LocalizerTopology.build(config, topics, executor, metrics), props);
        images = driver.createInputTopic(topics.images().name(), Serdes.String().serializer(),
                topics.images().valueSerde().serializer());
        rawImages = driver.createInputTopic(topics.images().name(), new ByteArraySerializer(), new ByteArraySerializer());
        control = driver.createInputTopic(topics.control().name(), Serdes.String().serializer(),
                topics.control().valueSerde().serializer());
        classifications = driver.createOutputTopic(topics.classifications().name(), Serdes.String().deserializer(),
                topics.classifications().valueSerde().deserializer());
        focusTasks = driver.createOutputTopic(topics.focusTasks().name(), Serdes.String().deserializer(),
                topics.focusTasks().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.String().deserializer(),
                topics.deadLetters().valueSerde().deserializer());
    }

    private AppConfig config(int batchMax, long lingerMs) {
        return AppConfig.defaults().with(AppConfig.BATCH_OVERLAP, false) // deterministic: batches on the stream thread
                .with(AppConfig.BATCH_MAX, batchMax).with(AppConfig.BATCH_LINGER_MS, lingerMs)
                .with(AppConfig.STATE_DIR, tmp.toString());
    }

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.close();
        }
        executor.close();
        registry.close();
    }

    private void send(ImageEvent e) {
        images.pipeInput(e.getSourceId(), e);
    }

    private void flushByLinger() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    @Test
    void confidentImagesExitAndTheOthersBecomeFocusTasksKeyedBySource() {
        start(config(8, 20));
        ImageEvent sure = Events.scripted("cam-1", 1, 0.9, 3);
        ImageEvent unsure = Events.scripted("cam-2", 2, 0.3, 5);
        send(sure);
        send(unsure);
        flushByLinger();

        var exit = classifications.readKeyValue();
        assertEquals("cam-1", exit.key);
        Classification c = exit.value;
        assertEquals(sure.getEventId(), c.getEventId());
        assertEquals(Stage.LOCALIZATION, c.getStage());
        assertEquals(3, c.getClassIndex());
        assertEquals("Dress", c.getClassName());
        assertEquals(0.8, c.getEta(), 1e-9, "the model's default eta");
        assertEquals("v1", c.getModelVersion());
        assertEquals(3, c.getTopK().size());
        assertFalse(c.getDegraded());
        assertEquals(3, c.getLabel());
        assertTrue(classifications.isEmpty());

        var task = focusTasks.readKeyValue();
        assertEquals("cam-2", task.key);
        FocusTask t = task.value;
        assertEquals(unsure.getEventId(), t.getEventId());
        assertEquals(5, t.getLocalization().getClassIndex());
        assertEquals(0.3f, t.getLocalization().getConfidence(), 0.01);
        assertEquals(List.of(49, 4), t.getTokenShape());
        assertEquals(49 * 4 * 2, t.getTokens().remaining());
        assertEquals(List.of(2, 1, 16, 16), t.getPixelShape());
        assertEquals(List.of(0, 1), t.getSplitCells());
        assertEquals(1, t.getRegion().getRow());
        assertEquals(16, t.getRegion().getPixelBox().getY(), "row 1 of 16-pixel cells");
        assertNull(t.getDeadline(), "no deadline configured");
        assertTrue(focusTasks.isEmpty());
        assertTrue(deadLetters.isEmpty());
        assertEquals(1.0, metrics.count("lfvit.exits"));
        assertEquals(2.0, metrics.count("lfvit.images.localized"));
    }

    @Test
    void aFullBatchRunsAtOnceAndAPartialOneWaitsForTheLinger() {
        start(config(4, 50));
        for (int i = 0; i < 3; i++) {
            send(Events.scripted("cam-1", i, 0.9, 1));
        }
        assertTrue(classifications.isEmpty(), "3 < batch.max: waiting for the linger");
        assertEquals(List.of(), model.localizeBatches);
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertTrue(classifications.isEmpty(), "linger not over");
        driver.advanceWallClockTime(Duration.ofMillis(60));
        assertEquals(3, classifications.readValuesToList().size());
        assertEquals(List.of(3), model.localizeBatches);

        for (int i = 0; i < 9; i++) {
            send(Events.scripted("cam-1", 10 + i, 0.9, 1));
        }
        assertEquals(8, classifications.readValuesToList().size(), "two full batches, no wait");
        assertEquals(List.of(3, 4, 4), model.localizeBatches);
        flushByLinger();
        assertEquals(1, classifications.readValuesToList().size());
        assertEquals(List.of(3, 4, 4, 1), model.localizeBatches);
    }

    @Test
    void perSourceOrderIsKept() {
        start(config(5, 20));
        for (int i = 0; i < 12; i++) {
            send(Events.scripted("cam-1", i, i % 2 == 0 ? 0.9 : 0.1, 1));
        }
        flushByLinger();
        List<Long> exits = classifications.readValuesToList().stream().map(Classification::getFrameSeq).toList();
        List<Long> tasks = focusTasks.readValuesToList().stream().map(FocusTask::getFrameSeq).toList();
        assertEquals(List.of(0L, 2L, 4L, 6L, 8L, 10L), exits);
        assertEquals(List.of(1L, 3L, 5L, 7L, 9L, 11L), tasks);
    }

    @Test
    void etaFromTheControlTopicGlobalThenPerSourceOverrideThenTombstone() {
        start(config(1, 0));
        send(Events.scripted("cam-7", 1, 0.5, 1));
        assertEquals(1, focusTasks.readValuesToList().size(), "0.5 < default eta 0.8");

        control.pipeInput("global", Events.eta(0.4));
        send(Events.scripted("cam-7", 2, 0.5, 1));
        Classification c = classifications.readValue();
        assertEquals(0.4, c.getEta(), 1e-9);
        assertEquals(Stage.LOCALIZATION, c.getStage());

        control.pipeInput("source:cam-7", Events.eta(0.6));
        send(Events.scripted("cam-7", 3, 0.5, 1));
        send(Events.scripted("cam-8", 4, 0.5, 1));
        FocusTask t = focusTasks.readValue();
        assertEquals("cam-7", t.getSourceId());
        assertEquals(0.6, t.getEta(), 1e-9, "cam-7's override");
        assertEquals("cam-8", classifications.readValue().getSourceId(), "cam-8 keeps the global 0.4");

        control.pipeInput("source:cam-7", (ControlUpdate) null);
        send(Events.scripted("cam-7", 5, 0.5, 1));
        assertEquals(0.4, classifications.readValue().getEta(), 1e-9, "override removed: global again");
        assertTrue(focusTasks.isEmpty());
    }

    @Test
    void aControlRecordThatDoesNotDecodeIsIgnored() {
        start(config(1, 0));
        driver.createInputTopic(topics.control().name(), Serdes.String().serializer(), new ByteArraySerializer())
                .pipeInput("global", "garbage".getBytes(StandardCharsets.UTF_8));
        send(Events.scripted("cam-1", 1, 0.5, 1));
        assertEquals(0.8, focusTasks.readValue().getEta(), 1e-9, "falls back to the model's eta");
    }

    @Test
    void aPerSourceDeadlineIsStampedOnTheFocusTask() {
        start(config(1, 0));
        control.pipeInput("source:cam-1", Events.etaAndDeadline(0.8, 250));
        ImageEvent e = Events.scripted("cam-1", 1, 0.5, 1);
        send(e);
        FocusTask t = focusTasks.readValue();
        assertEquals(e.getCaptureTime().plusMillis(250), t.getDeadline());
    }

    @Test
    void badInputGoesToTheDeadLetterTopicWithItsReasonAndOriginalBytes() throws Exception {
        AppConfig config = config(4, 20).with(AppConfig.IMAGE_MAX_BYTES, 100_000);
        start(config);
        var serializer = topics.images().valueSerde().serializer();
        byte[] key = "cam-9".getBytes(StandardCharsets.UTF_8);

        ImageEvent wrongSize = Events.raw("cam-9", 1, new byte[100], 112, null);
        ImageEvent notJpeg = jpeg("cam-9", 2, "not a jpeg".getBytes(StandardCharsets.UTF_8));
        ImageEvent tooManyPixels = Events.raw("cam-9", 3, new byte[1], 1, null);
        tooManyPixels.setWidth(100_000);
        tooManyPixels.setHeight(100_000);
        byte[] oversize = new byte[200_000];
        byte[] badWire = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] unknownSchema = ByteBuffer.allocate(9).put((byte) 0).putInt(99_999).putInt(0).array();
        byte[] corrupt = serializer.serialize(topics.images().name(), Events.scripted("cam-9", 4, 0.9, 1));
        corrupt = java.util.Arrays.copyOf(corrupt, corrupt.length - 10);

        List<byte[]> inputs = List.of(
                serializer.serialize(topics.images().name(), wrongSize),
                serializer.serialize(topics.images().name(), notJpeg),
                serializer.serialize(topics.images().name(), tooManyPixels),
                oversize, badWire, unknownSchema, corrupt);
        for (byte[] value : inputs) {
            rawImages.pipeInput(key, value);
        }
        rawImages.pipeInput(key, (byte[]) null);
        send(Events.scripted("cam-9", 5, 0.9, 1));
        send(Events.scripted("cam-9", 6, 0.1, 1));
        flushByLinger();

        // by input offset: an image is decoded off the stream thread and its dead letter sent with its batch, so
        // an undecodable JPEG's comes after those refused on arrival (their order on the topic is no contract)
        List<DeadLetter> dead = deadLetters.readValuesToList().stream()
                .sorted(java.util.Comparator.comparingLong(DeadLetter::getOffset)).toList();
        assertEquals(List.of(DeadLetterReason.WRONG_SIZE, DeadLetterReason.UNDECODABLE_IMAGE, DeadLetterReason.OVERSIZE,
                DeadLetterReason.OVERSIZE, DeadLetterReason.BAD_WIRE_FORMAT, DeadLetterReason.UNKNOWN_SCHEMA,
                DeadLetterReason.CORRUPT_PAYLOAD, DeadLetterReason.CORRUPT_PAYLOAD),
                dead.stream().map(DeadLetter::getReasonCode).toList());
        for (int i = 0; i < inputs.size(); i++) {
            DeadLetter d = dead.get(i);
            assertArrayEquals(inputs.get(i), bytes(d.getValue()), "original bytes of input " + i);
            assertArrayEquals(key, bytes(d.getKey()));
            assertEquals(topics.images().name(), d.getTopic());
            assertEquals(i, d.getOffset());
            assertEquals("decode", d.getStage());
            assertFalse(d.getReason().isBlank());
        }
        assertEquals(wrongSize.getEventId(), dead.get(0).getEventId(), "the event id when the Avro decoded");
        assertNull(dead.get(4).getEventId());
        assertTrue(dead.get(0).getReason().contains("12544"), dead.get(0).getReason());

        int produced = inputs.size() + 3;
        int answered = classifications.readValuesToList().size() + focusTasks.readValuesToList().size();
        assertEquals(produced, answered + dead.size(), "produced = answered or forwarded + dead-lettered");
        assertEquals(2, answered);
        assertEquals(8.0, metrics.count("lfvit.dead.letters"));
    }

    @Test
    void anOversizeRecordIsRefusedBeforeDecodingAndItsDeadLetterNamesTheEvent() {
        start(config(4, 20).with(AppConfig.IMAGE_MAX_BYTES, 100_000));
        ImageEvent big = jpeg("cam-9", 1, new byte[300_000]); // not even a JPEG: decoding it would fail differently
        send(big);
        flushByLinger();
        DeadLetter d = deadLetters.readValue();
        assertEquals(DeadLetterReason.OVERSIZE, d.getReasonCode());
        assertTrue(d.getReason().startsWith("message of "), d.getReason());
        assertEquals(big.getEventId(), d.getEventId(), "the id read from the Avro header");
        assertTrue(deadLetters.isEmpty());
        assertTrue(classifications.isEmpty() && focusTasks.isEmpty());
    }

    @Test
    void aJpegCutShortIsDeadLetteredAsPartialByDefault() throws Exception {
        start(config(1, 0));
        ImageEvent cut = jpeg("cam-3", 1, io.lfvit.app.support.ImageFixtures.bytes("truncated.jpg"));
        send(cut);
        flushByLinger();
        DeadLetter d = deadLetters.readValue();
        assertEquals(DeadLetterReason.PARTIAL_IMAGE, d.getReasonCode());
        assertEquals(cut.getEventId(), d.getEventId());
        assertTrue(d.getReason().contains("decoded only in part"), d.getReason());
        assertTrue(classifications.isEmpty() && focusTasks.isEmpty(), "nothing answered for it");
    }

    @Test
    void underImagePartialDegradedAJpegCutShortIsAnsweredFlaggedDegraded() throws Exception {
        start(config(1, 0).with(AppConfig.IMAGE_PARTIAL, "degraded"));
        byte[] truncated = io.lfvit.app.support.ImageFixtures.bytes("truncated.jpg");
        control.pipeInput("source:exits", Events.eta(0.0)); // eta 0: every image exits at localization
        ImageEvent exits = jpeg("exits", 1, truncated);
        send(exits);
        ImageEvent focused = jpeg("cam-3", 2, truncated);
        control.pipeInput("source:cam-3", Events.eta(1.0)); // eta 1: every image goes on to focus
        send(focused);
        flushByLinger();
        Classification c = classifications.readValue();
        assertEquals(exits.getEventId(), c.getEventId());
        assertTrue(c.getDegraded());
        assertTrue(c.getDegradedReason().startsWith("the JPEG image decoded only in part"), c.getDegradedReason());
        FocusTask t = focusTasks.readValue();
        assertEquals(focused.getEventId(), t.getEventId());
        assertTrue(t.getDegradedReason().startsWith("the JPEG image decoded only in part"), t.getDegradedReason());
        assertTrue(deadLetters.isEmpty());
        ImageEvent whole = jpeg("exits", 3, io.lfvit.app.support.ImageFixtures.bytes("photo.jpg"));
        send(whole);
        flushByLinger();
        Classification w = classifications.readValue();
        assertFalse(w.getDegraded(), "a whole image is not flagged");
        assertNull(w.getDegradedReason());
    }

    @Test
    void pngAndJpegOfAnySizeAreResizedToTheModelInput() throws Exception {
        start(config(2, 20));
        BufferedImage rgb = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xffffff);
        ImageEvent png = encoded("cam-1", 1, rgb, "png", ImageEncoding.PNG);
        ImageEvent jpg = encoded("cam-1", 2, rgb, "jpg", ImageEncoding.JPEG);
        send(png);
        send(jpg);
        flushByLinger();
        assertTrue(deadLetters.isEmpty());
        Set<UUID> ids = new HashSet<>();
        classifications.readValuesToList().forEach(c -> ids.add(c.getEventId()));
        focusTasks.readValuesToList().forEach(t -> {
            ids.add(t.getEventId());
            assertEquals(86, t.getRegion().getPixelBox().getX(), "col 2 x 16 px x 300/112, in the original image");
        });
        assertEquals(Set.of(png.getEventId(), jpg.getEventId()), ids);
    }

    private static ImageEvent encoded(String source, long seq, BufferedImage image, String format, ImageEncoding encoding)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        ImageEvent e = Events.raw(source, seq, out.toByteArray(), 0, null);
        e.setEncoding(encoding);
        e.setWidth(image.getWidth());
        e.setHeight(image.getHeight());
        e.setChannels(3);
        return e;
    }

    private static ImageEvent jpeg(String source, long seq, byte[] bytes) {
        ImageEvent e = Events.raw(source, seq, bytes, 64, null);
        e.setEncoding(ImageEncoding.JPEG);
        return e;
    }

    private static byte[] bytes(ByteBuffer b) {
        assertNotNull(b);
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @SuppressWarnings("unused")
    private static void write(Path p, byte[] b) throws Exception {
        Files.write(p, b);
    }
}
