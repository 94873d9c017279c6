package io.lfvit.app.produce;

import io.lfvit.schemas.avro.ImageEncoding;
import io.lfvit.data.ClutteredCanvas;
import io.lfvit.data.Datasets;
import io.lfvit.data.FashionMnist;
import io.lfvit.data.ImageDataset;
import io.lfvit.data.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** The cluttered Fashion-MNIST test canvases (112 x 112 grey, labelled), the demo's stream. */
public final class Canvases implements Iterator<Frame> {
    public static final String INSTALL_HINT = "apt-get install -y dataset-fashion-mnist";

    private final ImageDataset data;
    private final int count;
    private int next;

    public Canvases(ImageDataset data, int count) {
        this.data = data;
        this.count = count;
    }

    /** The test canvases from {@code dir}; installs the dataset first when missing and running as root. */
    public static Canvases load(Path dir, int count) throws IOException {
        ensureDataset(dir);
        ImageDataset test = new ClutteredCanvas(FashionMnist.load(dir, "t10k"), ClutteredCanvas.Settings.standard(),
                Datasets.CANVAS_SEED + 1);
        return new Canvases(test, count <= 0 ? test.size() : count);
    }

    static void ensureDataset(Path dir) throws IOException {
        if (Files.exists(dir.resolve("t10k-images-idx3-ubyte.gz"))) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && dir.equals(FashionMnist.DEFAULT_DIR)) {
            System.err.println("lfvit: Fashion-MNIST missing in " + dir + ": running '" + INSTALL_HINT + "'");
            try {
                Process p = new ProcessBuilder("sh", "-c", "apt-get install -y dataset-fashion-mnist || "
                        + "(apt-get update && apt-get install -y dataset-fashion-mnist)").inheritIO().start();
                if (p.waitFor() == 0 && Files.exists(dir.resolve("t10k-images-idx3-ubyte.gz"))) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new IOException("Fashion-MNIST not found in " + dir + ". Install it with: sudo " + INSTALL_HINT
                + " (or pass --data-dir DIR holding t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz)");
    }

    public int size() {
        return count;
    }

    public java.util.List<String> classNames() {
        return data.classNames();
    }

    @Override
    public boolean hasNext() {
        return next < count;
    }

    @Override
    public Frame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Sample s = data.get(next++ % data.size(), 0, false);
        int side = data.imageSize();
        // [C,H,W] with C = 1 is also row-major HWC.
        return new Frame(s.pixels(), ImageEncoding.RAW, side, side, data.channels(), s.label());
    }
}
