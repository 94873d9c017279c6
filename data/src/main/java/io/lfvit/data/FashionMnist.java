package io.lfvit.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Fashion-MNIST from its IDX files (as shipped by Debian's dataset-fashion-mnist). */
public final class FashionMnist {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final int SIDE = 28;

    private final byte[][] images;
    private final int[] labels;

    private FashionMnist(byte[][] images, int[] labels) {
        this.images = images;
        this.labels = labels;
    }

    /** Loads the "train" or "t10k" split from {@code dir}. */
    public static FashionMnist load(Path dir, String split) throws IOException {
        Path imageFile = dir.resolve(split + "-images-idx3-ubyte.gz");
        Path labelFile = dir.resolve(split + "-labels-idx1-ubyte.gz");
        if (!Files.exists(imageFile) || !Files.exists(labelFile)) {
            throw new IOException("Fashion-MNIST not found in " + dir + ": install it with "
                    + "'apt-get install -y dataset-fashion-mnist' (as root) or pass --data-dir");
        }
        byte[][] images = readImages(imageFile);
        int[] labels = readLabels(labelFile);
        if (images.length != labels.length) {
            throw new IOException("Fashion-MNIST " + split + ": " + images.length + " images but " + labels.length + " labels");
        }
        return new FashionMnist(images, labels);
    }

    private static byte[][] readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            expectMagic(in.readInt(), 2051, file);
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != SIDE || cols != SIDE) {
                throw new IOException(file + ": expected 28x28 images, found " + rows + "x" + cols);
            }
            byte[][] images = new byte[n][SIDE * SIDE];
            for (byte[] image : images) {
                in.readFully(image);
            }
            return images;
        }
    }

    private static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            expectMagic(in.readInt(), 2049, file);
            int n = in.readInt();
            byte[] raw = new byte[n];
            in.readFully(raw);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = raw[i];
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
    }

    private static void expectMagic(int magic, int expected, Path file) throws IOException {
        if (magic != expected) {
            throw new IOException(file + " is not an IDX file of the expected kind (magic " + magic + ")");
        }
    }

    public int size() {
        return labels.length;
    }

    /** 28x28 grayscale pixels, row-major (shared array: do not modify). */
    public byte[] image(int index) {
        return images[index];
    }

    public int label(int index) {
        return labels[index];
    }
}
