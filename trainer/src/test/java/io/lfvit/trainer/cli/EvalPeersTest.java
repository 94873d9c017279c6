package io.lfvit.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.model.cost.MacCounter;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.Networks;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lfvit eval --peer ...} on tiny untrained bundles and a small image folder. */
class EvalPeersTest {
    @TempDir
    Path root;

    private static ModelConfig tiny(ModelFamily family, double alpha, double kappa) {
        return new ModelConfig(family, "untrained", 112, 1, 8, 2, 32, 2, 2, 5, alpha, 0.99, 1, 0.8, true, kappa,
                kappa < 1 ? List.of(0, 1) : List.of(), List.of("dark", "light"), List.of(0.45), List.of(0.25));
    }

    private Path bundle(String name, ModelConfig config) throws Exception {
        Path dir = root.resolve("models").resolve(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModuleBlock network = Networks.create(config);
            network.initialize(manager);
            ModelBundle.save(dir, config, network, name, Map.of());
        }
        return dir;
    }

    /**
     * A bundle whose answer is forced: the classifier head's weights are zero and its bias favours
     * {@code cls} by 4, so every image gets that class with softmax confidence 1 / (1 + e^-4) = 0.982.
     */
    private Path forced(String name, ModelConfig config, int cls) throws Exception {
        Path dir = root.resolve("models").resolve(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModuleBlock network = Networks.create(config);
            network.initialize(manager);
            List<String> set = new ArrayList<>();
            for (Pair<String, Parameter> p : network.getParameters()) {
                NDArray array = p.getValue().getArray();
                float[] values = new float[Math.toIntExact(array.size())];
                if (p.getKey().endsWith("head_bias")) {
                    values[cls] = 4;
                } else if (!p.getKey().endsWith("head_weight")) {
                    continue;
                }
                array.set(values);
                set.add(p.getKey());
            }
            assertEquals(2, set.size(), "the head's weight and bias: " + set);
            ModelBundle.save(dir, config, network, name, Map.of());
        }
        return dir;
    }

    private void images(String split, int perClass) throws Exception {
        images(split, perClass, perClass);
    }

    private void images(String split, int dark, int light) throws Exception {
        for (String cls : List.of("dark", "light")) {
            Path dir = Files.createDirectories(root.resolve("data").resolve(split).resolve(cls));
            for (int i = 0; i < (cls.equals("dark") ? dark : light); i++) {
                BufferedImage img = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(cls.equals("dark") ? Color.DARK_GRAY : Color.LIGHT_GRAY);
                g.fillRect(0, 0, 112, 112);
                g.setColor(Color.WHITE);
                g.fillRect(10 * i, 8 * i, 30, 20);
                g.dispose();
                ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
            }
        }
    }

    private static int eval(List<String> args, ByteArrayOutputStream err) {
        PrintStream saved = System.err;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return new CommandLine(new EvalCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                    .execute(args.toArray(String[]::new));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void aSingleStageModelIsRefusedWithWhereItBelongs() throws Exception {
        Path vit = bundle("vit", tiny(ModelFamily.VIT, 0.88, 1.0));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // Refused before any data is read: the data directory does not exist.
        int code = eval(List.of("--model", vit.toString(), "--data", root.resolve("none").toString()), err);
        String log = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, log);
        assertTrue(log.contains("single-stage VIT") && log.contains("--baseline or --peer"), log);
    }

    @Test
    void oneRunMeasuresTheModelTheBaselineAndEveryPeer() throws Exception {
        images("train", 2);
        images("test", 4);
        Path lfvit = bundle("lfvit", tiny(ModelFamily.LFVIT, 0.88, 1.0));
        Path vit = bundle("vit", tiny(ModelFamily.VIT, 0.88, 1.0));
        Path evit7 = bundle("evit-0.7", tiny(ModelFamily.EVIT, 0.88, 0.7));
        Path evit5 = bundle("evit-0.5", tiny(ModelFamily.EVIT, 0.88, 0.5));
        Path cfvit = bundle("cfvit", tiny(ModelFamily.CFVIT, 0.5, 1.0));
        Path lfEvit = bundle("lfvit-evit", tiny(ModelFamily.LFVIT, 0.88, 0.7));
        Path json = root.resolve("report.json");
        Path plots = Files.createDirectories(root.resolve("plots"));
        List<String> args = new ArrayList<>(List.of("--model", lfvit.toString(), "--baseline", vit.toString(),
                "--data", root.resolve("data").toString(), "--batch", "4", "--timing-images", "4",
                "--etas", "0.5,1.0", "--peer-etas", "0.6,0.9,1.0", "--json", json.toString(),
                "--plots", plots.toString(), "--device", "cpu"));
        for (Path peer : List.of(evit7, evit5, cfvit, lfEvit)) {
            args.add("--peer");
            args.add(peer.toString());
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = eval(args, err);
        String log = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, log);

        JsonNode report = ModelBundle.JSON.readTree(json.toFile());
        assertEquals(8, report.get("images").asInt());
        for (String field : List.of("accuracy", "gmacs", "images_per_s")) {
            assertTrue(report.get("baseline").has(field), "baseline keeps " + field);
        }
        assertEquals(2, report.get("points").size());
        for (String field : List.of("eta", "accuracy", "exit_rate", "gmacs", "images_per_s")) {
            assertTrue(report.get("points").get(0).has(field), "points keep " + field);
        }
        JsonNode peers = report.get("peers");
        assertEquals(4, peers.size());
        List<String> names = new ArrayList<>();
        peers.forEach(p -> names.add(p.get("name").asText()));
        assertEquals(List.of("EViT κ=0.7", "EViT κ=0.5", "CF-ViT", "LF-ViT+EViT κ=0.7"), names);

        JsonNode evit = peers.get(0);
        assertEquals("EVIT", evit.get("family").asText());
        assertEquals(0.7, evit.get("keep_rate").asDouble());
        assertEquals(1, evit.get("points").size(), "single stage: one point");
        JsonNode evitPoint = evit.get("points").get(0);
        assertTrue(evitPoint.get("eta").isNull());
        assertTrue(evitPoint.get("exit_rate").isNull());
        assertTrue(evitPoint.get("images_per_s").asDouble() > 0);
        double evitMacs = new MacCounter(ModelBundle.readConfig(evit7)).singleStage() / 1e9;
        assertEquals(evitMacs, evitPoint.get("gmacs").asDouble(), 1e-12);
        assertTrue(evitMacs < report.get("baseline").get("gmacs").asDouble(), "EViT needs fewer MACs than the ViT");
        assertTrue(peers.get(1).get("points").get(0).get("gmacs").asDouble() < evitMacs, "kappa 0.5 below 0.7");

        JsonNode cf = peers.get(2);
        assertEquals(3, cf.get("points").size(), "two-stage peers are swept over --peer-etas");
        MacCounter cfMacs = new MacCounter(ModelBundle.readConfig(cfvit));
        for (JsonNode p : cf.get("points")) {
            double exit = p.get("exit_rate").asDouble();
            assertEquals(cfMacs.expectedTwoStage(exit) / 1e9, p.get("gmacs").asDouble(), 1e-12);
        }
        JsonNode lfEvitAtOne = peers.get(3).get("points").get(2);
        assertEquals(1.0, lfEvitAtOne.get("eta").asDouble());
        assertEquals(0.0, lfEvitAtOne.get("exit_rate").asDouble(), "softmax maxima never reach 1.0 here");
        MacCounter lfMacs = new MacCounter(ModelBundle.readConfig(lfvit));
        MacCounter lfEvitMacs = new MacCounter(ModelBundle.readConfig(lfEvit));
        assertEquals((lfEvitMacs.localization() + lfEvitMacs.focus()) / 1e9, lfEvitAtOne.get("gmacs").asDouble(), 1e-9);
        assertTrue(lfEvitMacs.focus() < lfMacs.focus(), "the combination's focus stage is cheaper");

        assertTrue(log.contains("Table 3 analogue"), log);
        for (String name : names) {
            assertTrue(log.contains(name), name + " in the printed table\n" + log);
        }
        assertTrue(log.contains("ViT (baseline)"), log);
        BufferedImage plot = ImageIO.read(plots.resolve("accuracy-vs-gmacs.png").toFile());
        assertEquals(900, plot.getWidth());
        assertNull(report.get("peers").get(0).get("points").get(0).get("eta").textValue());
    }

    /**
     * Models whose answer is forced (one class for every image, confidence 0.982) on 3 dark and 5 light
     * test images: every accuracy and exit rate in the report is known without running a model.
     */
    @Test
    void accuraciesAndExitRatesOfForcedAnswersAreTheClassShares() throws Exception {
        images("train", 2);
        images("test", 3, 5);
        Path lfvit = forced("lfvit-dark", tiny(ModelFamily.LFVIT, 0.88, 1.0), 0);
        Path vit = forced("vit-light", tiny(ModelFamily.VIT, 0.88, 1.0), 1);
        Path evit = forced("evit-light", tiny(ModelFamily.EVIT, 0.88, 0.7), 1);
        Path cfvit = forced("cfvit-dark", tiny(ModelFamily.CFVIT, 0.5, 1.0), 0);
        Path json = root.resolve("report.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = eval(List.of("--model", lfvit.toString(), "--baseline", vit.toString(), "--peer", evit.toString(),
                "--peer", cfvit.toString(), "--data", root.resolve("data").toString(), "--batch", "4",
                "--timing-images", "4", "--timing-repeats", "1", "--etas", "0.5,0.99", "--json", json.toString(),
                "--plots", Files.createDirectories(root.resolve("plots")).toString(), "--device", "cpu"), err);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));

        JsonNode report = ModelBundle.JSON.readTree(json.toFile());
        assertEquals(8, report.get("images").asInt());
        double dark = 3 / 8.0;
        double light = 5 / 8.0;
        assertEquals(light, report.get("baseline").get("accuracy").asDouble(), 1e-12, "the ViT says light");
        assertEquals(dark, report.get("stages").get("localization_accuracy").asDouble(), 1e-12);
        assertEquals(dark, report.get("stages").get("focus_accuracy").asDouble(), 1e-12);
        JsonNode points = report.get("points");
        assertEquals(dark, points.get(0).get("accuracy").asDouble(), 1e-12);
        assertEquals(1.0, points.get(0).get("exit_rate").asDouble(), 0.0, "0.982 >= eta 0.5: all exit");
        assertEquals(dark, points.get(1).get("accuracy").asDouble(), 1e-12);
        assertEquals(0.0, points.get(1).get("exit_rate").asDouble(), 0.0, "0.982 < eta 0.99: none exit");
        JsonNode evitPoint = report.get("peers").get(0).get("points").get(0);
        assertEquals(light, evitPoint.get("accuracy").asDouble(), 1e-12);
        JsonNode cfPoints = report.get("peers").get(1).get("points");
        assertEquals(dark, cfPoints.get(0).get("accuracy").asDouble(), 1e-12);
        assertEquals(1.0, cfPoints.get(0).get("exit_rate").asDouble(), 0.0);
        assertEquals(dark, cfPoints.get(1).get("accuracy").asDouble(), 1e-12);
        assertEquals(0.0, cfPoints.get(1).get("exit_rate").asDouble(), 0.0);
    }

    @Test
    void ablationsScoreEveryVariantOnTheSameImagesWithItsOwnCost() throws Exception {
        images("train", 2);
        images("test", 4);
        Path lfvit = bundle("lfvit", tiny(ModelFamily.LFVIT, 0.88, 1.0));
        Path json = root.resolve("ablations.json");
        int code = eval(List.of("--model", lfvit.toString(), "--data", root.resolve("data").toString(), "--batch", "4",
                "--timing-images", "4", "--etas", "1.0", "--ablations", "--json", json.toString(),
                "--plots", Files.createDirectories(root.resolve("plots")).toString(), "--device", "cpu"),
                new ByteArrayOutputStream());
        assertEquals(0, code);

        JsonNode report = ModelBundle.JSON.readTree(json.toFile());
        JsonNode rows = report.get("ablations");
        List<String> variants = new ArrayList<>();
        rows.forEach(r -> variants.add(r.get("variant").asText()));
        assertEquals(List.of("ngca", "negative-ngca", "max-gca", "min-gca", "random", "whole-image",
                "ngca, no fusion at inference", "ngca, non-region tokens dropped"), variants);
        double locAccuracy = report.get("stages").get("localization_accuracy").asDouble();
        for (JsonNode r : rows) {
            assertEquals(locAccuracy, r.get("localization_accuracy").asDouble(), 0.0, "localization never changes");
        }
        assertEquals(report.get("points").get(0).get("accuracy").asDouble(), rows.get(0).get("focus_accuracy").asDouble(),
                0.0, "the ngca row is the model as it ships");

        MacCounter macs = new MacCounter(ModelBundle.readConfig(lfvit));
        int k = macs.splitCells();
        double[] expected = {macs.focus(), macs.focus(), macs.focus(), macs.focus(), macs.focus(), macs.focus(49),
            macs.focus() - macs.reuse(k), macs.focus(k, false)};
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            assertEquals(expected[i] / 1e9, r.get("focus_gmacs").asDouble(), 1e-12, variants.get(i));
            double gmacs = r.get("gmacs").asDouble();
            assertTrue(gmacs >= macs.localization() / 1e9 && gmacs <= (macs.localization() + expected[i]) / 1e9 + 1e-12,
                    variants.get(i) + " costs between localization alone and both stages");
        }
        assertTrue(expected[5] > expected[0] && expected[7] < expected[0] && expected[6] < expected[0]);
        assertEquals(900, ImageIO.read(root.resolve("plots").resolve("ablations.png").toFile()).getWidth());
    }
}
