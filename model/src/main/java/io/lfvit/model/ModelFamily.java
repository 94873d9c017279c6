package io.lfvit.model;

/** Which network a bundle holds; the streams app serves two-stage families with both stages. */
public enum ModelFamily {
    /** LF-ViT: localization, then focus on the NGCA window (the product's model). */
    LFVIT(true),
    /** CF-ViT: coarse stage, then fine split of the globally top-GCA cells. */
    CFVIT(true),
    /** Plain ViT at full resolution, single stage: the baseline. */
    VIT(false),
    /** EViT: plain ViT with attentive-token reorganisation, single stage. */
    EVIT(false);

    private final boolean twoStage;

    ModelFamily(boolean twoStage) {
        this.twoStage = twoStage;
    }

    public boolean isTwoStage() {
        return twoStage;
    }

    /** The split share alpha of the papers: LF-ViT's K = ceil(0.88 m^2) of the window, CF-ViT's half of all cells. */
    public double defaultAlpha() {
        return this == CFVIT ? 0.5 : 0.88;
    }

    /** EViT's keep rate kappa 0.7; the other families keep every token unless asked (LF-ViT+EViT). */
    public double defaultKeepRate() {
        return this == EVIT ? 0.7 : 1.0;
    }
}
