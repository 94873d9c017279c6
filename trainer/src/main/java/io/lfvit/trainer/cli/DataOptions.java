package io.lfvit.trainer.cli;

import io.lfvit.data.Datasets;
import io.lfvit.data.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Option;

/** Which data a command reads. */
public final class DataOptions {
    @Option(names = "--data", defaultValue = "cluttered-fmnist",
            description = "cluttered-fmnist, or a directory with train/ and test/ (and optional val/) class folders. Default: ${DEFAULT-VALUE}")
    String data;

    @Option(names = "--fmnist-dir", description = "Fashion-MNIST IDX directory. Default: " + "/usr/share/datasets/fashion-mnist")
    Path fmnistDir = FashionMnist.DEFAULT_DIR;

    @Option(names = "--image-size", defaultValue = "112", description = "input side for image folders. Default: ${DEFAULT-VALUE}")
    int imageSize;

    @Option(names = "--channels", defaultValue = "1", description = "1 or 3, for image folders. Default: ${DEFAULT-VALUE}")
    int channels;

    public boolean isFashionMnist() {
        return "cluttered-fmnist".equals(data);
    }

    public Datasets.Splits load() throws IOException {
        return isFashionMnist() ? Datasets.clutteredFashionMnist(fmnistDir)
                : Datasets.imageFolder(Path.of(data), imageSize, channels);
    }

    /** Normalisation statistics: measured ones for cluttered Fashion-MNIST, ImageNet-like otherwise. */
    public List<Double> mean(int c) {
        return isFashionMnist() ? List.of(0.10) : Collections.nCopies(c, 0.45);
    }

    public List<Double> std(int c) {
        return isFashionMnist() ? List.of(0.25) : Collections.nCopies(c, 0.25);
    }
}
