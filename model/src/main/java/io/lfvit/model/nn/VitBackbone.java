package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts every model family shares, whatever its stages: patch embedding, [CLS] token, the
 * encoder blocks, the final norm and the classifier head. LF-ViT's two stages run these same
 * weights; only the positional tables (and the reuse MLP) differ per stage.
 */
public final class VitBackbone extends ModuleBlock {
    /** The [CLS] token of [B,N,D]: parsed once, not at every call (DJL parses index strings each time). */
    private static final NDIndex CLS_TOKEN = new NDIndex(":, 0, :");

    private final PatchEmbedding patchEmbedding;
    private final Parameter clsToken;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final Norm norm;
    private final Dense head;

    /**
     * Encoder output: final-normed tokens [B,N,D] and the global class attention [B,N] (EMA over
     * blocks from {@code gcaStart}, [CLS] query row, head mean; column 0 is the [CLS] key).
     */
    public record Encoded(NDArray normed, NDArray gca) {}

    public VitBackbone(int channels, int patch, int width, int depth, int heads, int mlpRatio, int classes) {
        patchEmbedding = addChildBlock("patch_embed", new PatchEmbedding(channels, patch, width));
        clsToken = param("cls_token", Parameter.Type.WEIGHT, new Shape(1, 1, width), Inits.WEIGHT);
        for (int i = 0; i < depth; i++) {
            blocks.add(addChildBlock("block" + i, new TransformerBlock(width, heads, (long) width * mlpRatio)));
        }
        norm = addChildBlock("norm", new Norm(width));
        head = addChildBlock("head", new Dense(width, classes));
    }

    /** Runs all blocks; GCA = beta*GCA + (1-beta)*row for blocks gcaStart.. (0-based). */
    public Encoded encode(NDArray tokens, int gcaStart, double beta) {
        NDArray x = tokens;
        NDArray gca = null;
        for (int l = 0; l < blocks.size(); l++) {
            TransformerBlock.Result r = blocks.get(l).apply(x, l >= gcaStart);
            x = r.tokens();
            if (l >= gcaStart) {
                NDArray update = Scale.times(r.clsAttention(), (float) (1 - beta));
                gca = gca == null ? update : Scale.times(gca, (float) beta).add(update);
            }
        }
        return new Encoded(norm.apply(x), gca);
    }

    /**
     * Runs all blocks with EViT's token reorganisation after the attention half of the blocks it
     * names (no GCA: the sequence shrinks). Returns the final-normed tokens [B,N',D].
     */
    public NDArray encode(NDArray tokens, TokenReorganisation reorganisation) {
        NDArray x = tokens;
        for (int l = 0; l < blocks.size(); l++) {
            TransformerBlock block = blocks.get(l);
            if (reorganisation.appliesAt(l)) {
                Attention.Result attended = block.attentionHalf(x);
                x = block.mlpHalf(TokenReorganisation.reorganise(attended.output(), attended.clsAttention(),
                        reorganisation.keepRate()));
            } else {
                x = block.apply(x, false).tokens();
            }
        }
        return norm.apply(x);
    }

    /** Logits [B,classes] from the [CLS] token of normed encoder output [B,N,D]. */
    public NDArray classify(NDArray normed) {
        return head.apply(normed.get(CLS_TOKEN));
    }

    public PatchEmbedding patchEmbedding() {
        return patchEmbedding;
    }

    public NDArray clsToken() {
        return clsToken.getArray();
    }

    public List<TransformerBlock> blocks() {
        return blocks;
    }
}
