package io.lfvit.app.focus;

import io.lfvit.app.batch.Admission;
import io.lfvit.app.batch.BatchStage;
import io.lfvit.app.batch.InputRecord;
import io.lfvit.app.batch.Routed;
import io.lfvit.app.control.ControlTable;
import io.lfvit.app.dlq.DeadLetters;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.app.records.Answers;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.infer.FocusPayload;
import io.lfvit.model.infer.ModelVersionMismatchException;
import io.lfvit.model.infer.Prediction;
import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.FocusTask;
import io.lfvit.schemas.serde.ConfluentAvroSerde;
import io.lfvit.schemas.serde.DecodeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The focus stage: admits focus tasks, answers them a batch at a time with the focus stage of the
 * model (stage FOCUS). Explicitly handled:
 * <ul>
 *   <li>a task from another model version (a localizer running a different bundle): dead letter
 *       {@code MODEL_VERSION_MISMATCH}, or with {@code focus.version.mismatch=degrade} its localization
 *       answer flagged degraded. Checked before the model is called, so one stray task never fails a batch;</li>
 *   <li>a task past its deadline (video under backpressure): its localization answer, flagged degraded,
 *       instead of a late focus answer. The deadline is the task's own, else capture time plus the
 *       source's {@code deadline.ms} from the control topic, else {@code focus.deadline.ms};</li>
 *   <li>a payload the model refuses (malformed): dead letter {@code CORRUPT_PAYLOAD}; any other failure of the
 *       model on a task: dead letter {@code INTERNAL_ERROR}, the rest of its batch answered (as the localizer does).</li>
 * </ul>
 */
public final class FocusStage implements BatchStage<FocusTask> {
    private static final Logger LOG = LoggerFactory.getLogger(FocusStage.class);
    public static final String NAME = "focus";

    private final InferenceExecutor model;
    private final ConfluentAvroSerde<FocusTask> serde;
    private final Function<ProcessingContext, ControlTable> controlTable;
    private final FocusSinks sinks;
    private final Metrics metrics;
    private final int topK;
    private final long defaultDeadlineMs;
    private final boolean degradeOnMismatch;
    private ControlTable control;

    public FocusStage(InferenceExecutor model, ConfluentAvroSerde<FocusTask> serde,
            Function<ProcessingContext, ControlTable> controlTable, FocusSinks sinks, Metrics metrics, int topK,
            long defaultDeadlineMs, boolean degradeOnMismatch) {
        this.model = model;
        this.serde = serde;
        this.controlTable = controlTable;
        this.sinks = sinks;
        this.metrics = metrics;
        this.topK = topK;
        this.defaultDeadlineMs = defaultDeadlineMs;
        this.degradeOnMismatch = degradeOnMismatch;
    }

    @Override
    public void init(ProcessingContext context) {
        control = controlTable.apply(context);
    }

    @Override
    public Admission<FocusTask> admit(InputRecord in, long nowMs) {
        if (in.value() == null) {
            return Admission.done(dead(in, DeadLetterReason.CORRUPT_PAYLOAD, "null value (tombstone) on the focus-tasks topic",
                    null, null, nowMs));
        }
        long t0 = System.nanoTime();
        DecodeResult<FocusTask> decoded = serde.decode(in.topic(), in.value());
        metrics.step(NAME, "avro", System.nanoTime() - t0);
        if (decoded instanceof DecodeResult.Failure<FocusTask> failure) {
            return Admission.done(dead(in, failure.error().deadLetterReason(), failure.error().getMessage(), null,
                    failure.error(), nowMs));
        }
        FocusTask task = ((DecodeResult.Success<FocusTask>) decoded).value();
        // from the localizer's answer to this admission: its transaction's commit and this worker's fetch
        metrics.step(NAME, "handoff", Math.max(0, nowMs - task.getLocalizedAt().toEpochMilli()) * 1_000_000L);
        String expected = model.config().version();
        if (!expected.equals(task.getModelVersion())) {
            String why = "focus task localized by model " + task.getModelVersion() + " but this worker runs " + expected;
            if (degradeOnMismatch) {
                return Admission.done(degraded(task, "model version mismatch: " + why, nowMs));
            }
            return Admission.done(dead(in, DeadLetterReason.MODEL_VERSION_MISMATCH, why, task,
                    new ModelVersionMismatchException(expected, task.getModelVersion()), nowMs));
        }
        Routed late = lateOrNull(task, nowMs);
        return late != null ? Admission.done(late) : Admission.buffer(task);
    }

    private Routed lateOrNull(FocusTask task, long nowMs) {
        long deadline = deadline(task);
        if (deadline > 0 && nowMs > deadline) {
            return degraded(task, "focus deadline missed by " + (nowMs - deadline) + " ms", nowMs);
        }
        return null;
    }

    /** Epoch ms after which the task is answered degraded; 0 for none. */
    long deadline(FocusTask task) {
        if (task.getDeadline() != null) {
            return task.getDeadline().toEpochMilli();
        }
        long ms = control == null ? defaultDeadlineMs : control.deadlineMs(task.getSourceId(), defaultDeadlineMs);
        return ms > 0 ? task.getCaptureTime().toEpochMilli() + ms : 0;
    }

    @Override
    public int parallelism() {
        return model.replicas();
    }

    @Override
    public List<List<Routed>> flush(List<Pending<FocusTask>> batch, long nowMs) {
        List<List<Routed>> out = new ArrayList<>(batch.size());
        List<Integer> live = new ArrayList<>();
        List<FocusPayload> payloads = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Pending<FocusTask> p = batch.get(i);
            FocusTask task = p.decoded();
            metrics.focusLag(nowMs - task.getLocalizedAt().toEpochMilli());
            Routed late = lateOrNull(task, nowMs);
            Routed answer = late;
            if (late == null) {
                try {
                    payloads.add(Answers.payload(task));
                    live.add(i);
                } catch (IllegalArgumentException e) {
                    answer = dead(p.record(), DeadLetterReason.CORRUPT_PAYLOAD, "malformed focus payload: " + e.getMessage(),
                            task, e, nowMs);
                }
            }
            out.add(answer == null ? null : List.of(answer)); // null: filled in below by the model's answer
        }
        if (live.isEmpty()) {
            return out;
        }
        long t0 = System.nanoTime();
        List<Prediction> predictions;
        try {
            predictions = model.focus(payloads);
        } catch (RuntimeException e) { // a refused payload or an engine failure: find the culprit, answer the rest
            LOG.warn("focus failed on a batch of {} ({}); answering one by one", live.size(), e.toString());
            for (int j = 0; j < live.size(); j++) {
                out.set(live.get(j), List.of(oneByOne(batch.get(live.get(j)), payloads.get(j), nowMs)));
            }
            return out;
        }
        long nanos = System.nanoTime() - t0;
        metrics.batch(NAME, live.size(), nanos);
        ModelConfig config = model.config();
        for (int j = 0; j < live.size(); j++) {
            out.set(live.get(j), List.of(answer(batch.get(live.get(j)).decoded(), predictions.get(j), config,
                    nanos / 1e6 / live.size(), nowMs)));
        }
        return out;
    }

    private Routed oneByOne(Pending<FocusTask> p, FocusPayload payload, long nowMs) {
        long t0 = System.nanoTime();
        try {
            Prediction prediction = model.focus(List.of(payload)).get(0);
            return answer(p.decoded(), prediction, model.config(), (System.nanoTime() - t0) / 1e6, nowMs);
        } catch (ModelVersionMismatchException e) {
            return dead(p.record(), DeadLetterReason.MODEL_VERSION_MISMATCH, e.getMessage(), p.decoded(), e, nowMs);
        } catch (IllegalArgumentException e) {
            return dead(p.record(), DeadLetterReason.CORRUPT_PAYLOAD, "malformed focus payload: " + e.getMessage(),
                    p.decoded(), e, nowMs);
        } catch (RuntimeException e) {
            return dead(p.record(), DeadLetterReason.INTERNAL_ERROR, "focus failed: " + e, p.decoded(), e, nowMs);
        }
    }

    private Routed answer(FocusTask task, Prediction p, ModelConfig config, double ms, long nowMs) {
        metrics.classified("FOCUS", task.getDegradedReason() != null);
        metrics.endToEnd("FOCUS", nowMs - task.getCaptureTime().toEpochMilli());
        return new Routed(sinks.classifications(), task.getSourceId(), Answers.focused(task, p, config, topK, ms, nowMs));
    }

    private Routed degraded(FocusTask task, String reason, long nowMs) {
        metrics.classified("LOCALIZATION", true);
        metrics.endToEnd("LOCALIZATION", nowMs - task.getCaptureTime().toEpochMilli());
        return new Routed(sinks.classifications(), task.getSourceId(), Answers.degraded(task, reason, nowMs));
    }

    private Routed dead(InputRecord in, DeadLetterReason reason, String detail, FocusTask task, Throwable cause, long nowMs) {
        metrics.deadLetter(reason, NAME);
        return new Routed(sinks.deadLetters(), in.keyString(),
                DeadLetters.of(in, reason, detail, NAME, task == null ? null : task.getEventId(), cause, nowMs));
    }
}
