package io.lfvit.data;

import java.io.IOException;
import java.nio.file.Path;

/** The named datasets the commands accept. */
public final class Datasets {
    /** Training images 55,000 - 59,999 are held out for validation; t10k is the test set. */
    public static final int VALIDATION_FROM = 55_000;
    public static final long CANVAS_SEED = 20240201L;

    private Datasets() {}

    public record Splits(ImageDataset train, ImageDataset validation, ImageDataset test) {}

    /** Cluttered Fashion-MNIST canvases from the IDX files in {@code dir}. */
    public static Splits clutteredFashionMnist(Path dir) throws IOException {
        ClutteredCanvas.Settings settings = ClutteredCanvas.Settings.standard();
        ClutteredCanvas train = new ClutteredCanvas(FashionMnist.load(dir, "train"), settings, CANVAS_SEED);
        ClutteredCanvas test = new ClutteredCanvas(FashionMnist.load(dir, "t10k"), settings, CANVAS_SEED + 1);
        return new Splits(new Subset(train, 0, VALIDATION_FROM), new Subset(train, VALIDATION_FROM, train.size()),
                test);
    }

    /** ImageFolder data: {@code dir}/train, {@code dir}/val (optional) and {@code dir}/test class trees. */
    public static Splits imageFolder(Path dir, int size, int channels) throws IOException {
        ImageFolder train = new ImageFolder(dir.resolve("train"), size, channels);
        ImageFolder test = new ImageFolder(dir.resolve("test"), size, channels);
        ImageDataset val = dir.resolve("val").toFile().isDirectory()
                ? new ImageFolder(dir.resolve("val"), size, channels) : test;
        return new Splits(train, val, test);
    }
}
