package io.lfvit.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.lfvit.model.nn.ModuleBlock;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW with decoupled weight decay (not applied to biases, norms, [CLS] and position tables) and
 * global gradient-norm clipping. Written here, not taken from DJL, so that its state can be
 * checkpointed and resumed exactly.
 */
public final class AdamW {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private final List<Slot> slots = new ArrayList<>();
    private final float weightDecay;
    private final float clipNorm;
    private long updates;

    private record Slot(String name, NDArray weight, NDArray firstMoment, NDArray secondMoment, boolean decay) {}

    public AdamW(ModuleBlock network, NDManager stateManager, float weightDecay, float clipNorm) {
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
        for (Pair<String, Parameter> p : network.getParameters()) {
            NDArray w = p.getValue().getArray();
            Shape shape = w.getShape();
            slots.add(new Slot(p.getKey(), w, stateManager.zeros(shape), stateManager.zeros(shape), decays(p)));
        }
    }

    private static boolean decays(Pair<String, Parameter> p) {
        String name = p.getKey();
        return p.getValue().getArray().getShape().dimension() > 1
                && !name.contains("cls_token") && !name.contains("pos_");
    }

    /**
     * One update from the gradients left by backward, then zeroes them.
     *
     * @return the global gradient norm before clipping
     */
    public float step(float lr) {
        updates++;
        float norm = gradientNorm();
        float clip = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1f;
        float bias1 = (float) (1 - Math.pow(BETA1, updates));
        float bias2 = (float) (1 - Math.pow(BETA2, updates));
        for (Slot s : slots) {
            NDArray grad = s.weight().getGradient();
            NDArray g = grad.mul(clip);
            s.firstMoment().muli(BETA1).addi(g.mul(1 - BETA1));
            s.secondMoment().muli(BETA2).addi(g.square().muli(1 - BETA2));
            NDArray denom = s.secondMoment().div(bias2).sqrt().addi(EPS);
            NDArray update = s.firstMoment().div(bias1).divi(denom);
            if (s.decay()) {
                update.addi(s.weight().mul(weightDecay));
            }
            s.weight().subi(update.muli(lr));
            grad.subi(grad);
            g.close();
            denom.close();
            update.close();
            grad.close();
        }
        return norm;
    }

    private float gradientNorm() {
        double sum = 0;
        for (Slot s : slots) {
            try (NDArray grad = s.weight().getGradient(); NDArray sq = grad.square().sum()) {
                sum += sq.getFloat();
            }
        }
        return (float) Math.sqrt(sum);
    }

    public long updates() {
        return updates;
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeLong(updates);
        out.writeInt(slots.size());
        for (Slot s : slots) {
            out.writeUTF(s.name());
            writeArray(out, s.firstMoment());
            writeArray(out, s.secondMoment());
        }
    }

    public void load(DataInputStream in) throws IOException {
        updates = in.readLong();
        int n = in.readInt();
        if (n != slots.size()) {
            throw new IOException("optimizer state has " + n + " slots, the network " + slots.size());
        }
        for (Slot s : slots) {
            String name = in.readUTF();
            if (!name.equals(s.name())) {
                throw new IOException("optimizer state for " + name + " found where " + s.name() + " was expected");
            }
            readArray(in, s.firstMoment());
            readArray(in, s.secondMoment());
        }
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        float[] values = array.toFloatArray();
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static void readArray(DataInputStream in, NDArray into) throws IOException {
        int n = in.readInt();
        if (n != into.size()) {
            throw new IOException("optimizer state size " + n + " does not match parameter size " + into.size());
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readFloat();
        }
        into.set(values);
    }
}
