package io.lfvit.app.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.ImageEncoding;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.LocalizationResult;
import io.lfvit.schemas.avro.PixelBox;
import io.lfvit.schemas.avro.Region;
import io.lfvit.schemas.avro.Stage;
import io.lfvit.schemas.avro.StageTimings;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The live view's bookkeeping: when an eta change took effect, the exit rate at it, the overlay data, the bounds. */
class LiveStateTest {
    static final long T0 = 1_800_000_000_000L;

    @Test
    void anEtaChangeTakesEffectWithTheFirstAnswerAtItAndCountsOnlyItsOwnAnswers() {
        LiveState s = new LiveState();
        s.control("global", update(0.8), T0);
        s.classification(answer("cam-0", 0.8, Stage.LOCALIZATION, T0 + 100), T0 + 100);
        s.classification(answer("cam-0", 0.8, Stage.FOCUS, T0 + 200), T0 + 200);
        s.control("global", update(0.2), T0 + 300);
        s.classification(answer("cam-0", 0.8, Stage.FOCUS, T0 + 400), T0 + 400); // a batch localized before the change
        assertNull(change(s, 0).get("effectiveAt"), "no answer at 0.2 yet");
        s.classification(answer("cam-1", 0.2, Stage.LOCALIZATION, T0 + 500), T0 + 500);
        s.classification(answer("cam-0", 0.2, Stage.LOCALIZATION, T0 + 600), T0 + 600);

        Map<String, Object> now = change(s, 0);
        assertEquals(0.2, now.get("eta"));
        assertEquals(T0 + 500, now.get("effectiveAt"));
        assertEquals(2L, now.get("answers"));
        assertEquals(1.0, now.get("exitRate"));
        Map<String, Object> before = change(s, 1);
        assertEquals(false, before.get("current"));
        assertEquals(T0 + 100, before.get("effectiveAt"));
        assertEquals(2L, before.get("answers"), "the late 0.8 answer came after the change: not counted");
        assertEquals(0.5, before.get("exitRate"));
    }

    @Test
    void aSourceOverrideHasItsOwnChangeAndATombstoneRemovesIt() {
        LiveState s = new LiveState();
        s.control("global", update(0.8), T0);
        s.control("source:cam-1", update(0.5), T0 + 10);
        s.classification(answer("cam-1", 0.5, Stage.LOCALIZATION, T0 + 100), T0 + 100);
        s.classification(answer("cam-0", 0.8, Stage.LOCALIZATION, T0 + 100), T0 + 100);
        assertEquals("cam-1", change(s, 0).get("scope"));
        assertEquals(1L, change(s, 0).get("answers"));
        assertEquals(1L, change(s, 1).get("answers"));
        @SuppressWarnings("unchecked")
        Map<String, Object> eta = (Map<String, Object>) s.snapshot(T0 + 200).get("eta");
        assertEquals(Map.of("cam-1", 0.5), eta.get("bySource"));
        s.control("source:cam-1", null, T0 + 300);
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) s.snapshot(T0 + 400).get("eta");
        assertEquals(Map.of(), after.get("bySource"));
        assertNull(change(s, 0).get("eta"), "the tombstone is listed as an override removed");
    }

    @Test
    void aFocusFrameCarriesItsWindowItsSplitCellsAndItsFocusLag() {
        LiveState s = new LiveState();
        ImageEvent image = image("cam-0", 0);
        assertTrue(s.image(image, T0));
        s.focusTask(task(image, List.of(8, 9, 15), T0 + 50));
        Classification c = answer("cam-0", 0.8, Stage.FOCUS, T0 + 250);
        c.setEventId(image.getEventId());
        c.setRegion(new Region(1, 1, 5, new PixelBox(16, 16, 80, 80)));
        s.classification(c, T0 + 250);

        Map<String, Object> frame = frames(s.snapshot(T0 + 300), "cam-0").get(0);
        assertEquals(7, frame.get("grid"));
        assertArrayEquals(new int[] {8, 9, 15}, (int[]) frame.get("splitCells"));
        @SuppressWarnings("unchecked")
        Map<String, Object> region = (Map<String, Object>) frame.get("region");
        assertEquals(List.of(16, 16, 80, 80), region.get("box"));
        assertEquals(200.0, frame.get("focusLagMs"));
        assertEquals("focus", frame.get("stage"));
        byte[] png = s.thumbnail(image.getEventId().toString());
        assertNotNull(png);
        assertEquals((byte) 0x89, png[0]);
        assertFalse(frame.containsKey("thumbPng"), "the snapshot links the thumbnail, it does not inline it");
    }

    @Test
    void memoryStaysBoundedWhateverTheTraffic() {
        LiveState s = new LiveState();
        List<ImageEvent> kept = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ImageEvent e = image("cam-0", i);
            if (s.image(e, T0 + i * 10L)) { // 100 images/s: one thumbnail every 150 ms at most
                kept.add(e);
            }
        }
        assertTrue(kept.size() <= 500 * 10 / LiveState.THUMB_EVERY_MS + 1, "thumbnails made: " + kept.size());
        for (ImageEvent e : kept) {
            Classification c = answer("cam-0", 0.8, Stage.LOCALIZATION, T0 + 6000);
            c.setEventId(e.getEventId());
            s.classification(c, T0 + 6000);
        }
        assertEquals(LiveState.FRAMES_SHOWN, frames(s.snapshot(T0 + 7000), "cam-0").size());
        assertNull(s.thumbnail(kept.get(0).getEventId().toString()), "only the shown frames' thumbnails are kept");
        for (int i = 0; i < LiveState.MAX_SOURCES + 10; i++) {
            s.classification(answer("cam-x" + i, 0.8, Stage.LOCALIZATION, T0 + 8000), T0 + 8000);
        }
        assertEquals(LiveState.MAX_SOURCES, ((List<?>) s.snapshot(T0 + 9000).get("sources")).size());
    }

    @Test
    void percentilesAndSeries() {
        float[] v = new float[100];
        IntStream.range(0, 100).forEach(i -> v[i] = 100 - i);
        assertEquals(50.0, LiveState.percentile(v, 100, 0.5));
        assertEquals(99.0, LiveState.percentile(v, 100, 0.99));
        assertNull(LiveState.percentile(v, 0, 0.5));

        LiveState s = new LiveState();
        s.control("global", update(0.8), T0);
        for (int i = 0; i < 4; i++) {
            s.classification(answer("cam-0", 0.8, i == 0 ? Stage.LOCALIZATION : Stage.FOCUS, T0 + 1000 + i), T0 + 1000 + i);
        }
        @SuppressWarnings("unchecked")
        Map<String, List<Object>> series = (Map<String, List<Object>>) s.snapshot(T0 + 3000).get("series");
        assertEquals(List.of(T0 / 1000, T0 / 1000 + 1, T0 / 1000 + 2), series.get("t"));
        assertEquals(List.of(0.0, 4.0, 0.0), series.get("answersPerSecond"));
        assertEquals(0.25, series.get("exitRate").get(1));
        assertNull(series.get("exitRate").get(2), "no answers: no rate, not 0%");
        assertEquals(List.of(0.8, 0.8, 0.8), series.get("etaGlobal"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> change(LiveState s, int i) {
        return ((List<Map<String, Object>>) s.snapshot(T0 + 10_000).get("changes")).get(i);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> frames(Map<String, Object> snapshot, String source) {
        for (Map<String, Object> m : (List<Map<String, Object>>) snapshot.get("sources")) {
            if (source.equals(m.get("source"))) {
                return (List<Map<String, Object>>) m.get("frames");
            }
        }
        throw new AssertionError("no source " + source);
    }

    private static ControlUpdate update(double eta) {
        return ControlUpdate.newBuilder().setEta(eta).setUpdatedAt(Instant.ofEpochMilli(T0)).setUpdatedBy("test").build();
    }

    private static Classification answer(String source, double eta, Stage stage, long at) {
        return Classification.newBuilder().setEventId(UUID.randomUUID()).setSourceId(source).setFrameSeq(0)
                .setClassIndex(3).setClassName("dress").setConfidence(0.9f).setStage(stage).setEta(eta)
                .setModelVersion("v").setTimings(new StageTimings(5.0, null, 120.0))
                .setCaptureTime(Instant.ofEpochMilli(at - 120)).setClassifiedAt(Instant.ofEpochMilli(at)).build();
    }

    private static ImageEvent image(String source, long seq) {
        byte[] pixels = new byte[112 * 112];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 112 * 2);
        }
        return ImageEvent.newBuilder().setEventId(UUID.randomUUID()).setSourceId(source).setFrameSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(T0)).setEncoding(ImageEncoding.RAW).setWidth(112).setHeight(112)
                .setChannels(1).setImage(ByteBuffer.wrap(pixels)).build();
    }

    private static FocusTask task(ImageEvent e, List<Integer> split, long localizedAt) {
        List<Integer> coarse = IntStream.range(0, 49).filter(i -> !split.contains(i)).boxed().toList();
        return FocusTask.newBuilder().setEventId(e.getEventId()).setSourceId(e.getSourceId()).setFrameSeq(e.getFrameSeq())
                .setModelVersion("v").setEta(0.8).setRegion(new Region(1, 1, 5, null))
                .setLocalization(new LocalizationResult(3, 0.5f, List.of())).setTokens(ByteBuffer.allocate(0))
                .setTokenShape(List.of(0, 0)).setSplitCells(split).setCoarseCells(coarse).setPixels(ByteBuffer.allocate(0))
                .setPixelShape(List.of(0, 0, 0, 0)).setCaptureTime(e.getCaptureTime())
                .setLocalizedAt(Instant.ofEpochMilli(localizedAt)).setLocalizationMs(5.0).build();
    }
}
