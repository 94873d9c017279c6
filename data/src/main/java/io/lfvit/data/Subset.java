package io.lfvit.data;

import java.util.List;

/** A contiguous index range of another dataset (for example a validation hold-out). */
public record Subset(ImageDataset parent, int from, int to) implements ImageDataset {
    public Subset {
        if (from < 0 || to > parent.size() || from >= to) {
            throw new IllegalArgumentException("subset [" + from + "," + to + ") outside 0.." + parent.size());
        }
    }

    @Override
    public int size() {
        return to - from;
    }

    @Override
    public Sample get(int index, int epoch, boolean augment) {
        return parent.get(from + index, epoch, augment);
    }

    @Override
    public List<String> classNames() {
        return parent.classNames();
    }

    @Override
    public int imageSize() {
        return parent.imageSize();
    }

    @Override
    public int channels() {
        return parent.channels();
    }

    @Override
    public String description() {
        return parent.description() + " [" + from + "," + to + ")";
    }
}
