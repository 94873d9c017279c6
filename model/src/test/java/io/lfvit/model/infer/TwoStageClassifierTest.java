package io.lfvit.model.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.TestConfigs;
import io.lfvit.model.TestImages;
import io.lfvit.model.TestNetworks;
import io.lfvit.model.nn.TwoStageVit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TwoStageClassifierTest {
    private final ModelConfig config = TestConfigs.tiny(ModelFamily.LFVIT);
    private NDManager manager;
    private TwoStageVit network;
    private TwoStageClassifier classifier;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        network = new TwoStageVit(config);
        TestNetworks.initialized(network, manager);
        classifier = TwoStageClassifier.of(network, manager);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static double[] etas(int n, double eta) {
        double[] e = new double[n];
        Arrays.fill(e, eta);
        return e;
    }

    @Test
    void etaZeroExitsEverythingAndEtaAboveOneContinuesEverything() {
        List<byte[]> images = TestImages.random(5, config, 1);
        for (LocalizationResult r : classifier.localize(images, etas(5, 0.0))) {
            assertTrue(r.exits());
            assertNull(r.payload());
        }
        for (LocalizationResult r : classifier.localize(images, etas(5, 1.01))) {
            assertTrue(!r.exits());
            assertNotNull(r.payload());
            assertEquals(22, r.region().k());
        }
    }

    @Test
    void payloadHasTheDocumentedSize() {
        FocusPayload p = classifier.localize(TestImages.random(1, config, 2), etas(1, 1.01)).get(0).payload();
        assertEquals(49, p.tokenRows(), "22 reuse vectors + 27 coarse tokens");
        assertEquals(49 * config.width() * 2, p.tokens().length, "float16");
        assertEquals(22 * 16 * 16, p.pixels().length, "K cells of 2p x 2p uint8");
        assertEquals(config.version(), p.modelVersion());
    }

    @Test
    void focusOnSerializedPayloadsEqualsTheInProcessResult() throws IOException {
        List<byte[]> images = TestImages.random(6, config, 3);
        List<StagedPrediction> inProcess = classifier.classify(images, 1.01);
        List<FocusPayload> payloads = classifier.localize(images, etas(6, 1.01)).stream()
                .map(LocalizationResult::payload).map(TwoStageClassifierTest::roundTrip).toList();
        List<Prediction> remote = classifier.focus(payloads);
        for (int i = 0; i < images.size(); i++) {
            assertTrue(inProcess.get(i).focused());
            assertArrayEquals(inProcess.get(i).prediction().probabilities(), remote.get(i).probabilities(), 2e-3f,
                    "image " + i + ": focus from float16 tokens matches in-process focus");
            assertArrayEquals(inProcess.get(i).region().splitCells(), payloads.get(i).splitCells());
        }
    }

    @Test
    void theFocusStageTakesItsCellsFromThePayloadSoTheWindowIsALocalizerSetting() {
        TwoStageClassifier localizerAtM4 = TwoStageClassifier.of(network, manager);
        localizerAtM4.setWindow(4);
        List<byte[]> images = TestImages.random(3, config, 8);
        List<FocusPayload> payloads = localizerAtM4.localize(images, etas(3, 1.01)).stream()
                .map(LocalizationResult::payload).toList();
        List<Prediction> byWorkerAtM5 = classifier.focus(payloads);
        List<StagedPrediction> inProcessAtM4 = localizerAtM4.classify(images, 1.01);
        for (int i = 0; i < images.size(); i++) {
            assertEquals(15, payloads.get(i).splitCells().length, "K = ceil(0.88 * 16)");
            assertArrayEquals(inProcessAtM4.get(i).prediction().probabilities(), byWorkerAtM5.get(i).probabilities(),
                    2e-3f, "image " + i);
        }
    }

    @Test
    void aWindowOutsideTheGridOrForCfVitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> classifier.setWindow(0));
        assertThrows(IllegalArgumentException.class, () -> classifier.setWindow(config.locGrid() + 1));
        classifier.setWindow(config.locGrid());
        ModelConfig cf = TestConfigs.tiny(ModelFamily.CFVIT);
        TwoStageVit cfNetwork = new TwoStageVit(cf);
        TestNetworks.initialized(cfNetwork, manager);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwoStageClassifier.of(cfNetwork, manager).setWindow(4));
        assertTrue(e.getMessage().contains("CFVIT"), e.getMessage());
    }

    @Test
    void earlyExitKeepsTheLocalizationAnswer() {
        List<byte[]> images = TestImages.random(4, config, 4);
        List<StagedPrediction> exited = classifier.classify(images, 0.0);
        List<LocalizationResult> loc = classifier.localize(images, etas(4, 0.0));
        for (int i = 0; i < 4; i++) {
            assertTrue(!exited.get(i).focused());
            assertArrayEquals(loc.get(i).prediction().probabilities(), exited.get(i).prediction().probabilities(), 1e-6f);
        }
    }

    @Test
    void mixedBatchesAnswerEveryImageInOrder() {
        List<byte[]> images = TestImages.random(8, config, 5);
        double[] mixed = {0, 1.01, 0, 1.01, 1.01, 0, 0, 1.01};
        List<LocalizationResult> results = classifier.localize(images, mixed);
        for (int i = 0; i < 8; i++) {
            assertEquals(mixed[i] == 0, results.get(i).exits(), "image " + i);
        }
        List<StagedPrediction> all = classifier.classify(images, 1.01);
        List<FocusPayload> hard = List.of(results.get(1).payload(), results.get(3).payload());
        List<Prediction> focused = classifier.focus(hard);
        assertArrayEquals(all.get(1).prediction().probabilities(), focused.get(0).probabilities(), 2e-3f);
        assertArrayEquals(all.get(3).prediction().probabilities(), focused.get(1).probabilities(), 2e-3f);
    }

    @Test
    void aPayloadFromAnotherModelVersionIsRefused() {
        FocusPayload p = classifier.localize(TestImages.random(1, config, 6), etas(1, 1.01)).get(0).payload();
        FocusPayload foreign = new FocusPayload("other-version", p.splitCells(), p.coarseCells(), p.tokens(),
                p.tokenRows(), p.tokenWidth(), p.pixels());
        ModelVersionMismatchException e = assertThrows(ModelVersionMismatchException.class,
                () -> classifier.focus(List.of(foreign)));
        assertEquals("other-version", e.actual());
    }

    @Test
    void truncatedPixelsAreRefusedWithAClearMessage() {
        FocusPayload p = classifier.localize(TestImages.random(1, config, 7), etas(1, 1.01)).get(0).payload();
        FocusPayload bad = new FocusPayload(p.modelVersion(), p.splitCells(), p.coarseCells(), p.tokens(),
                p.tokenRows(), p.tokenWidth(), Arrays.copyOf(p.pixels(), 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classifier.focus(List.of(bad)));
        assertTrue(e.getMessage().contains("pixel bytes"), e.getMessage());
    }

    @Test
    void truncatedTokensAreRefusedWithAClearMessage() {
        FocusPayload p = classifier.localize(TestImages.random(2, config, 8), etas(2, 1.01)).get(0).payload();
        FocusPayload bad = new FocusPayload(p.modelVersion(), p.splitCells(), p.coarseCells(),
                Arrays.copyOf(p.tokens(), p.tokens().length - 2), p.tokenRows(), p.tokenWidth(), p.pixels());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> classifier.focus(List.of(p, bad)));
        assertTrue(e.getMessage().contains("token bytes"), e.getMessage());
    }

    @Test
    void switchingFusionOffChangesTheFocusAnswerOnly() {
        assertChangesTheFocusAnswerOnly(classifier::setFusion);
    }

    @Test
    void droppingTheNonRegionTokensChangesTheFocusAnswerOnly() {
        assertChangesTheFocusAnswerOnly(classifier::setNonRegionTokens);
    }

    /** An inference-time ablation switch: localization untouched, focus changed, and undone by switching back. */
    private void assertChangesTheFocusAnswerOnly(Consumer<Boolean> ablationSwitch) {
        List<byte[]> images = TestImages.random(2, config, 9);
        List<StagedPrediction> with = classifier.classify(images, 1.01);
        ablationSwitch.accept(false);
        List<StagedPrediction> without = classifier.classify(images, 1.01);
        ablationSwitch.accept(true);
        assertArrayEquals(with.get(0).localization().probabilities(), without.get(0).localization().probabilities(), 0f);
        assertTrue(!Arrays.equals(with.get(0).prediction().probabilities(), without.get(0).prediction().probabilities()));
        assertArrayEquals(with.get(0).prediction().probabilities(),
                classifier.classify(images, 1.01).get(0).prediction().probabilities(), 0f);
    }

    @Test
    void inferenceIsDeterministic() {
        List<byte[]> images = TestImages.random(3, config, 8);
        List<StagedPrediction> a = classifier.classify(images, 1.01);
        List<StagedPrediction> b = classifier.classify(images, 1.01);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a.get(i).prediction().probabilities(), b.get(i).prediction().probabilities(), 0f);
        }
    }

    @Test
    void wrongImageSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> classifier.localize(List.of(new byte[10]), etas(1, 0.5)));
        assertTrue(e.getMessage().contains("1x112x112"), e.getMessage());
    }

    /** What crossing a process boundary does to a payload: bytes out, bytes in. */
    static FocusPayload roundTrip(FocusPayload p) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(p.modelVersion());
            writeInts(out, p.splitCells());
            writeInts(out, p.coarseCells());
            out.writeInt(p.tokens().length);
            out.write(p.tokens());
            out.writeInt(p.tokenRows());
            out.writeInt(p.tokenWidth());
            out.writeInt(p.pixels().length);
            out.write(p.pixels());
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
            return new FocusPayload(in.readUTF(), readInts(in), readInts(in), in.readNBytes(in.readInt()),
                    in.readInt(), in.readInt(), in.readNBytes(in.readInt()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int[] values = new int[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }
}
