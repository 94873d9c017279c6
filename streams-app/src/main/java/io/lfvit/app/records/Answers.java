package io.lfvit.app.records;

import io.lfvit.model.ModelConfig;
import io.lfvit.model.infer.FocusPayload;
import io.lfvit.model.infer.Prediction;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.avro.LocalizationResult;
import io.lfvit.schemas.avro.PixelBox;
import io.lfvit.schemas.avro.Region;
import io.lfvit.schemas.avro.Stage;
import io.lfvit.schemas.avro.StageTimings;
import io.lfvit.schemas.avro.TopKEntry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Maps the model's answers to the Avro contracts and back (FocusTask to FocusPayload). */
public final class Answers {
    private Answers() {}

    public static List<TopKEntry> topK(Prediction p, int k, List<String> names) {
        List<TopKEntry> out = new ArrayList<>();
        for (int c : p.topK(Math.min(k, p.probabilities().length))) {
            out.add(new TopKEntry(c, name(names, c), p.probabilities()[c]));
        }
        return out;
    }

    static String name(List<String> names, int c) {
        return c >= 0 && c < names.size() ? names.get(c) : null;
    }

    /** The localization stage's final answer (early exit). */
    public static Classification exit(ImageEvent event, Prediction p, double eta, ModelConfig config, int k,
            double localizationMs, long nowMs) {
        return Classification.newBuilder()
                .setEventId(event.getEventId())
                .setSourceId(event.getSourceId())
                .setFrameSeq(event.getFrameSeq())
                .setClassIndex(p.classIndex())
                .setClassName(name(config.classNames(), p.classIndex()))
                .setConfidence(p.confidence())
                .setTopK(topK(p, k, config.classNames()))
                .setStage(Stage.LOCALIZATION)
                .setEta(eta)
                .setModelVersion(config.version())
                .setRegion(null)
                .setTimings(new StageTimings(localizationMs, null, endToEnd(event.getCaptureTime(), nowMs)))
                .setCaptureTime(event.getCaptureTime())
                .setClassifiedAt(Instant.ofEpochMilli(nowMs))
                .setLabel(event.getLabel())
                .build();
    }

    /**
     * {@code answer} flagged degraded with {@code inputReason} when the input itself was degraded (an image
     * decoded only in part under image.partial=degraded); unchanged when {@code inputReason} is null.
     */
    public static Classification withInputDegraded(Classification answer, String inputReason) {
        if (inputReason == null) {
            return answer;
        }
        answer.setDegraded(true);
        answer.setDegradedReason(answer.getDegradedReason() == null ? inputReason
                : answer.getDegradedReason() + "; " + inputReason);
        return answer;
    }

    /** The task for the focus stage: the model's payload plus the localization answer as the fallback. */
    public static FocusTask focusTask(ImageEvent event, io.lfvit.model.infer.LocalizationResult result, double eta,
            ModelConfig config, int k, double localizationMs, long deadlineMs, long nowMs) {
        FocusPayload payload = result.payload();
        Prediction p = result.prediction();
        io.lfvit.model.select.Region r = result.region();
        int cell = 2 * config.patchSize(); // a localization-grid cell in model-input pixels
        int k2 = payload.splitCells().length;
        Instant capture = event.getCaptureTime();
        return FocusTask.newBuilder()
                .setEventId(event.getEventId())
                .setSourceId(event.getSourceId())
                .setFrameSeq(event.getFrameSeq())
                .setModelVersion(payload.modelVersion())
                .setEta(eta)
                .setRegion(region(r, cell, config.imageSize(), event.getWidth(), event.getHeight()))
                .setLocalization(new LocalizationResult(p.classIndex(), p.confidence(), topK(p, k, config.classNames())))
                .setTokens(ByteBuffer.wrap(payload.tokens()))
                .setTokenShape(List.of(payload.tokenRows(), payload.tokenWidth()))
                .setSplitCells(ints(payload.splitCells()))
                .setCoarseCells(ints(payload.coarseCells()))
                .setPixels(ByteBuffer.wrap(payload.pixels()))
                .setPixelShape(List.of(k2, config.channels(), cell, cell))
                .setCaptureTime(capture)
                .setLocalizedAt(Instant.ofEpochMilli(nowMs))
                .setLocalizationMs(localizationMs)
                .setDeadline(deadlineMs > 0 ? capture.plusMillis(deadlineMs) : null)
                .setLabel(event.getLabel())
                .build();
    }

    static Region region(io.lfvit.model.select.Region r, int cell, int modelSize, int width, int height) {
        if (r == null) {
            return null;
        }
        double sx = width > 0 ? (double) width / modelSize : 1;
        double sy = height > 0 ? (double) height / modelSize : 1;
        PixelBox box = new PixelBox((int) Math.round(r.col() * cell * sx), (int) Math.round(r.row() * cell * sy),
                (int) Math.round(r.size() * cell * sx), (int) Math.round(r.size() * cell * sy));
        return new Region(r.row(), r.col(), r.size(), box);
    }

    /** The model's payload back from the task; shapes are checked against the byte lengths. */
    public static FocusPayload payload(FocusTask task) {
        List<Integer> tokenShape = task.getTokenShape();
        if (tokenShape.size() != 2) {
            throw new IllegalArgumentException("token_shape must be [rows, width], got " + tokenShape);
        }
        byte[] tokens = bytes(task.getTokens());
        if ((long) tokenShape.get(0) * tokenShape.get(1) * 2 != tokens.length) {
            throw new IllegalArgumentException("token_shape " + tokenShape + " does not match " + tokens.length
                    + " float16 bytes");
        }
        byte[] pixels = bytes(task.getPixels());
        long expected = task.getPixelShape().stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
        if (task.getPixelShape().size() != 4 || expected != pixels.length) {
            throw new IllegalArgumentException("pixel_shape " + task.getPixelShape() + " does not match "
                    + pixels.length + " bytes");
        }
        return new FocusPayload(task.getModelVersion(), ints(task.getSplitCells()), ints(task.getCoarseCells()), tokens,
                tokenShape.get(0), tokenShape.get(1), pixels);
    }

    /** The focus stage's answer. */
    public static Classification focused(FocusTask task, Prediction p, ModelConfig config, int k, double focusMs,
            long nowMs) {
        return withInputDegraded(base(task, nowMs)
                .setClassIndex(p.classIndex())
                .setClassName(name(config.classNames(), p.classIndex()))
                .setConfidence(p.confidence())
                .setTopK(topK(p, k, config.classNames()))
                .setStage(Stage.FOCUS)
                .setRegion(task.getRegion())
                .setTimings(new StageTimings(task.getLocalizationMs(), focusMs, endToEnd(task.getCaptureTime(), nowMs)))
                .build(), task.getDegradedReason());
    }

    /** The localization answer carried by the task, flagged degraded with {@code reason} (and the input's own, if any). */
    public static Classification degraded(FocusTask task, String reason, long nowMs) {
        LocalizationResult loc = task.getLocalization();
        String name = loc.getTopK().isEmpty() ? null : loc.getTopK().get(0).getClassName();
        return base(task, nowMs)
                .setClassIndex(loc.getClassIndex())
                .setClassName(name)
                .setConfidence(loc.getConfidence())
                .setTopK(loc.getTopK())
                .setStage(Stage.LOCALIZATION)
                .setRegion(null)
                .setTimings(new StageTimings(task.getLocalizationMs(), null, endToEnd(task.getCaptureTime(), nowMs)))
                .setDegraded(true)
                .setDegradedReason(task.getDegradedReason() == null ? reason : reason + "; " + task.getDegradedReason())
                .build();
    }

    private static Classification.Builder base(FocusTask task, long nowMs) {
        return Classification.newBuilder()
                .setEventId(task.getEventId())
                .setSourceId(task.getSourceId())
                .setFrameSeq(task.getFrameSeq())
                .setEta(task.getEta())
                .setModelVersion(task.getModelVersion())
                .setCaptureTime(task.getCaptureTime())
                .setClassifiedAt(Instant.ofEpochMilli(nowMs))
                .setLabel(task.getLabel());
    }

    static Double endToEnd(Instant capture, long nowMs) {
        return capture == null ? null : (double) (nowMs - capture.toEpochMilli());
    }

    static List<Integer> ints(int[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    static int[] ints(List<Integer> a) {
        return a.stream().mapToInt(Integer::intValue).toArray();
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
