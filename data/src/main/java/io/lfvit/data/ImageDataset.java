package io.lfvit.data;

import java.util.List;

/** A finite, indexable, deterministic image dataset. */
public interface ImageDataset {

    int size();

    /**
     * The sample at {@code index}. With {@code augment}, {@code epoch} selects a fresh random
     * variant (deterministic for the same arguments); without it the sample is fixed.
     */
    Sample get(int index, int epoch, boolean augment);

    List<String> classNames();

    int imageSize();

    int channels();

    /** Identifies the data and its generator settings, so a checkpoint is never resumed on other data. */
    String description();
}
