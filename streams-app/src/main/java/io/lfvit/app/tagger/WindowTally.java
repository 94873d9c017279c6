package io.lfvit.app.tagger;

import io.lfvit.schemas.avro.ClassTag;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.FrameTags;
import io.lfvit.schemas.avro.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The running aggregate of one source's window (kept in the tagger's window store, serialised as JSON by
 * {@link WindowTallySerde}): frames, per class the frames and the confidence sum, focus answers, degraded
 * answers and late (within grace) ones. Public fields, so that Jackson reads and writes it as it is.
 */
public final class WindowTally {
    public long frames;
    public long firstFrameSeq = Long.MAX_VALUE;
    public long lastFrameSeq = Long.MIN_VALUE;
    public long focusFrames;
    public long degraded;
    public long lateFrames;
    public TreeMap<Integer, PerClass> classes = new TreeMap<>();

    /** One class within the window. */
    public static final class PerClass {
        public String name;
        public long frames;
        public double confidenceSum;
    }

    public WindowTally add(Classification c, boolean late) {
        frames++;
        firstFrameSeq = Math.min(firstFrameSeq, c.getFrameSeq());
        lastFrameSeq = Math.max(lastFrameSeq, c.getFrameSeq());
        if (c.getStage() == Stage.FOCUS) {
            focusFrames++;
        }
        if (c.getDegraded()) {
            degraded++;
        }
        if (late) {
            lateFrames++;
        }
        PerClass k = classes.computeIfAbsent(c.getClassIndex(), i -> new PerClass());
        if (k.name == null) {
            k.name = c.getClassName();
        }
        k.frames++;
        k.confidenceSum += c.getConfidence();
        return this;
    }

    public FrameTags toFrameTags(String source, long windowStartMs, long windowEndMs, long nowMs) {
        List<ClassTag> tags = new ArrayList<>();
        classes.forEach((index, k) -> tags.add(ClassTag.newBuilder().setClassIndex(index).setClassName(k.name)
                .setFrames(k.frames).setMeanConfidence(k.confidenceSum / k.frames).build()));
        tags.sort(Comparator.comparingLong(ClassTag::getFrames).reversed().thenComparingInt(ClassTag::getClassIndex));
        return FrameTags.newBuilder()
                .setSourceId(source)
                .setWindowStart(Instant.ofEpochMilli(windowStartMs))
                .setWindowEnd(Instant.ofEpochMilli(windowEndMs))
                .setFrames(frames)
                .setFirstFrameSeq(frames == 0 ? -1 : firstFrameSeq)
                .setLastFrameSeq(frames == 0 ? -1 : lastFrameSeq)
                .setClasses(tags)
                .setFocusFrames(focusFrames)
                .setDegraded(degraded)
                .setLateFrames(lateFrames)
                .setClosedAt(Instant.ofEpochMilli(nowMs))
                .build();
    }
}
