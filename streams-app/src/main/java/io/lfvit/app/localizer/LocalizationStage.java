package io.lfvit.app.localizer;

import io.lfvit.app.batch.Admission;
import io.lfvit.app.batch.BatchStage;
import io.lfvit.app.batch.InputRecord;
import io.lfvit.app.batch.Routed;
import io.lfvit.app.control.ControlTable;
import io.lfvit.app.dlq.DeadLetters;
import io.lfvit.app.dlq.EventIdPeek;
import io.lfvit.app.image.DecodedImage;
import io.lfvit.app.image.ImageDecoder;
import io.lfvit.app.image.ImageRejectedException;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.records.Answers;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.infer.LocalizationResult;
import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.ImageEncoding;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.serde.ConfluentAvroSerde;
import io.lfvit.schemas.serde.DecodeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The localization stage: admits an image event (Avro, then the image, each failure a dead letter with
 * its reason), then localizes a batch at a time and routes each image: confidence &gt;= eta (the
 * source's override, else the global value, else the model's) answers on {@code classifications}
 * (stage LOCALIZATION); below, a FocusTask with the cached tokens and the region's full-resolution
 * pixels goes to {@code focus-tasks}.
 */
public final class LocalizationStage implements BatchStage<LocalizationStage.Decoded> {
    private static final Logger LOG = LoggerFactory.getLogger(LocalizationStage.class);
    public static final String NAME = "localization";

    /**
     * An admitted event and its model input [C, S, S], being decoded on the decode pool: the stream thread
     * goes on reading records (and waits for the model) while the images of the next batch decode.
     */
    public record Decoded(ImageEvent event, CompletableFuture<DecodedImage> pixels) {}

    /** Room for the Avro fields around the image bytes before a record counts as oversize. */
    static final int ENVELOPE_BYTES = 64 * 1024;

    private final InferenceExecutor model;
    private final ConfluentAvroSerde<ImageEvent> serde;
    private final ImageDecoder decoder;
    private final Executor decodes;
    private final Function<ProcessingContext, ControlTable> controlTable;
    private final LocalizerSinks sinks;
    private final Metrics metrics;
    private final int topK;
    private final long defaultDeadlineMs;
    private final int maxRecordBytes;
    private ControlTable control;

    public LocalizationStage(InferenceExecutor model, ConfluentAvroSerde<ImageEvent> serde, ImageDecoder decoder, Executor decodes,
            Function<ProcessingContext, ControlTable> controlTable, LocalizerSinks sinks, Metrics metrics, int topK,
            long defaultDeadlineMs, int maxImageBytes) {
        this.model = model;
        this.serde = serde;
        this.decoder = decoder;
        this.decodes = decodes;
        this.controlTable = controlTable;
        this.sinks = sinks;
        this.metrics = metrics;
        this.topK = topK;
        this.defaultDeadlineMs = defaultDeadlineMs;
        this.maxRecordBytes = maxImageBytes + ENVELOPE_BYTES;
    }

    @Override
    public void init(ProcessingContext context) {
        control = controlTable.apply(context);
    }

    @Override
    public Admission<Decoded> admit(InputRecord in, long nowMs) {
        if (in.value() == null) {
            return dead(in, DeadLetterReason.CORRUPT_PAYLOAD, "null value (tombstone) on the images topic", null, null, nowMs);
        }
        if (in.value().length > maxRecordBytes) {
            // refused before the image is decoded; the event id is read from the Avro header alone
            UUID eventId = new EventIdPeek(serde.client()).eventId(in.value());
            metrics.deadLetter(DeadLetterReason.OVERSIZE, "decode");
            return new Admission.Done<>(List.of(new Routed(sinks.deadLetters(), in.keyString(), DeadLetters.of(in,
                    DeadLetterReason.OVERSIZE, "message of " + in.value().length + " bytes exceeds the limit of "
                            + maxRecordBytes + " (image.max.bytes + envelope)", "decode", eventId, null, nowMs))));
        }
        long t0 = System.nanoTime();
        DecodeResult<ImageEvent> decoded = serde.decode(in.topic(), in.value());
        long t1 = System.nanoTime();
        metrics.step(NAME, "avro", t1 - t0);
        if (decoded instanceof DecodeResult.Failure<ImageEvent> failure) {
            return dead(in, failure.error().deadLetterReason(), failure.error().getMessage(), null, failure.error(), nowMs);
        }
        ImageEvent event = ((DecodeResult.Success<ImageEvent>) decoded).value();
        if (event.getEncoding() == ImageEncoding.RAW) { // a copy and a resize: not worth a hand-over
            try {
                return Admission.buffer(new Decoded(event, CompletableFuture.completedFuture(decode(event))));
            } catch (ImageRejectedException e) {
                return dead(in, e.reason(), e.getMessage(), event, e.getCause(), nowMs);
            }
        }
        return Admission.buffer(new Decoded(event, CompletableFuture.supplyAsync(() -> {
            try {
                return decode(event);
            } catch (ImageRejectedException e) {
                throw new CompletionException(e);
            }
        }, decodes)));
    }

    private DecodedImage decode(ImageEvent event) throws ImageRejectedException {
        long t0 = System.nanoTime();
        DecodedImage pixels = decoder.decodeImage(event.getEncoding(), event.getWidth(), event.getHeight(), event.getChannels(),
                event.getImage());
        metrics.step(NAME, "decode", System.nanoTime() - t0);
        return pixels;
    }

    private Admission.Done<Decoded> dead(InputRecord in, DeadLetterReason reason, String detail, ImageEvent event,
            Throwable cause, long nowMs) {
        metrics.deadLetter(reason, "decode");
        return new Admission.Done<>(List.of(new Routed(sinks.deadLetters(), in.keyString(),
                DeadLetters.of(in, reason, detail, "decode", event == null ? null : event.getEventId(), cause, nowMs))));
    }

    @Override
    public int parallelism() {
        return model.replicas();
    }

    @Override
    public List<List<Routed>> flush(List<Pending<Decoded>> all, long nowMs) {
        // the images that decoded go to the model; one that did not is dead-lettered with the decoder's reason
        long waitStart = System.nanoTime();
        List<List<Routed>> answers = new ArrayList<>(java.util.Collections.nCopies(all.size(), (List<Routed>) null));
        List<Pending<Decoded>> batch = new ArrayList<>(all.size());
        List<Integer> place = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            Pending<Decoded> p = all.get(i);
            try {
                p.decoded().pixels().join();
                batch.add(p);
                place.add(i);
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                ImageEvent event = p.decoded().event();
                answers.set(i, cause instanceof ImageRejectedException r
                        ? dead(p.record(), r.reason(), r.getMessage(), event, r.getCause(), nowMs).outputs()
                        : dead(p.record(), DeadLetterReason.UNDECODABLE_IMAGE, "cannot decode " + event.getEncoding()
                                + " image: " + cause, event, cause, nowMs).outputs());
            }
        }
        metrics.step(NAME, "decode-wait", batch.size() * (System.nanoTime() - waitStart));
        if (!batch.isEmpty()) {
            List<List<Routed>> modelAnswers = flushDecoded(batch, nowMs);
            for (int j = 0; j < place.size(); j++) {
                answers.set(place.get(j), modelAnswers.get(j));
            }
        }
        return answers;
    }

    private List<List<Routed>> flushDecoded(List<Pending<Decoded>> batch, long nowMs) {
        ModelConfig config = model.config();
        List<byte[]> images = new ArrayList<>(batch.size());
        double[] etas = new double[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Decoded d = batch.get(i).decoded();
            images.add(d.pixels().join().pixels());
            etas[i] = control == null ? config.eta() : control.eta(d.event().getSourceId(), config.eta());
        }
        long t0 = System.nanoTime();
        List<LocalizationResult> results;
        try {
            results = model.localize(images, etas);
        } catch (RuntimeException e) {
            LOG.warn("localization of a batch of {} failed ({}); retrying one by one", batch.size(), e.toString());
            return oneByOne(batch, etas, nowMs);
        }
        long nanos = System.nanoTime() - t0;
        metrics.batch(NAME, batch.size(), nanos);
        double perImageMs = nanos / 1e6 / batch.size();
        List<List<Routed>> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Decoded d = batch.get(i).decoded();
            out.add(List.of(route(d.event(), d.pixels().join().partialReason(), results.get(i), etas[i], perImageMs, nowMs,
                    config)));
        }
        return out;
    }

    private List<List<Routed>> oneByOne(List<Pending<Decoded>> batch, double[] etas, long nowMs) {
        List<List<Routed>> out = new ArrayList<>();
        ModelConfig config = model.config();
        for (int i = 0; i < batch.size(); i++) {
            Pending<Decoded> p = batch.get(i);
            long t0 = System.nanoTime();
            try {
                DecodedImage image = p.decoded().pixels().join();
                LocalizationResult r = model.localize(List.of(image.pixels()), new double[] {etas[i]}).get(0);
                out.add(List.of(route(p.decoded().event(), image.partialReason(), r, etas[i], (System.nanoTime() - t0) / 1e6,
                        nowMs, config)));
            } catch (RuntimeException e) {
                metrics.deadLetter(DeadLetterReason.INTERNAL_ERROR, NAME);
                out.add(List.of(new Routed(sinks.deadLetters(), p.record().keyString(), DeadLetters.of(p.record(),
                        DeadLetterReason.INTERNAL_ERROR, "localization failed: " + e, NAME,
                        p.decoded().event().getEventId(), e, nowMs))));
            }
        }
        return out;
    }

    /** {@code partialReason}: why the image is only partly there (image.partial=degraded), null for a whole image. */
    private Routed route(ImageEvent event, String partialReason, LocalizationResult r, double eta, double ms, long nowMs,
            ModelConfig config) {
        String key = event.getSourceId();
        if (r.exits() || r.payload() == null) {
            metrics.localized(1, 1);
            metrics.classified("LOCALIZATION", partialReason != null);
            metrics.endToEnd("LOCALIZATION", nowMs - event.getCaptureTime().toEpochMilli());
            return new Routed(sinks.classifications(), key, Answers.withInputDegraded(
                    Answers.exit(event, r.prediction(), eta, config, topK, ms, nowMs), partialReason));
        }
        metrics.localized(1, 0);
        long deadline = control == null ? defaultDeadlineMs : control.deadlineMs(event.getSourceId(), defaultDeadlineMs);
        var task = Answers.focusTask(event, r, eta, config, topK, ms, deadline, nowMs);
        task.setDegradedReason(partialReason);
        return new Routed(sinks.focusTasks(), key, task);
    }
}
