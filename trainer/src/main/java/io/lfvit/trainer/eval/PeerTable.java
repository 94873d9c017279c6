package io.lfvit.trainer.eval;

import io.lfvit.model.ModelConfig;
import io.lfvit.model.cost.MacCounter;
import io.lfvit.model.infer.ImageClassifier;
import io.lfvit.data.ImageDataset;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The analogue of the LF-ViT paper's Table 3: the peers (EViT, CF-ViT, LF-ViT+EViT, ...) measured
 * in the same run as the evaluated model and the baseline, with the same test images, batch size,
 * threads and throughput images.
 */
public final class PeerTable {
    private PeerTable() {}

    /** The paper-style name of a model from its config: ViT, EViT κ=0.7, CF-ViT, LF-ViT+EViT κ=0.5, ... */
    public static String name(ModelConfig c) {
        String base = switch (c.family()) {
            case VIT -> "ViT";
            case EVIT -> "EViT";
            case CFVIT -> "CF-ViT";
            case LFVIT -> "LF-ViT";
        };
        if (c.keepRate() >= 1 || c.reorganiseBlocks().isEmpty()) {
            return base;
        }
        String kappa = String.format(Locale.ROOT, "κ=%s", trim(c.keepRate()));
        return c.family().isTwoStage() ? base + "+EViT " + kappa : base + " " + kappa;
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /**
     * Scores one peer: a two-stage peer at every eta of {@code etas} (expected GMACs from its exit
     * rate), a single-stage peer once (eta and exit rate null).
     */
    public static EvalReport.Peer measure(ImageClassifier model, String name, ImageDataset test, int images, int batch,
            List<Double> etas, Throughput timer, PrintStream log) {
        ModelConfig c = model.config();
        MacCounter macs = new MacCounter(c);
        StageOutputs out = StageOutputs.collect(model, test, images, batch, log);
        List<EvalReport.PeerPoint> points = new ArrayList<>();
        if (model.isTwoStage()) {
            for (double eta : etas) {
                double exit = out.exitRate(eta);
                points.add(new EvalReport.PeerPoint(eta, exit, out.accuracy(eta), macs.expectedTwoStage(exit) / 1e9,
                        timer.imagesPerSecond(model, eta)));
            }
        } else {
            points.add(new EvalReport.PeerPoint(null, null, out.focusAccuracy(), macs.singleStage() / 1e9,
                    timer.imagesPerSecond(model, 1.01)));
        }
        return new EvalReport.Peer(name, c.family().name(), c.version(), c.keepRate(), c.reorganiseBlocks(), points);
    }

    /** Makes names unique by appending the bundle directory's name to repeats. */
    public static String unique(String name, String dirName, Set<String> taken) {
        String chosen = taken.contains(name) ? name + " (" + dirName + ")" : name;
        taken.add(chosen);
        return chosen;
    }

    /** Prints baseline, the evaluated model's eta points and every peer in one table. */
    public static void print(EvalReport r, String modelName, PrintStream log) {
        EvalReport.Baseline base = r.baseline();
        log.printf("%nTable 3 analogue: %d test images, same images, batch and threads for every model%n", r.images());
        log.printf("%-24s %6s %9s %7s %8s %9s %13s %10s%n", "model", "eta", "accuracy", "exit", "GMACs", "img/s",
                "MACs vs ViT", "speed-up");
        if (base != null) {
            row(log, "ViT (baseline)", null, null, base.accuracy(), base.gmacs(), base.imagesPerS(), base);
        }
        for (EvalReport.Point p : r.points()) {
            row(log, modelName, p.eta(), p.exitRate(), p.accuracy(), p.gmacs(), p.imagesPerS(), base);
        }
        for (EvalReport.Peer peer : r.peers()) {
            for (EvalReport.PeerPoint p : peer.points()) {
                row(log, peer.name(), p.eta(), p.exitRate(), p.accuracy(), p.gmacs(), p.imagesPerS(), base);
            }
        }
    }

    private static void row(PrintStream log, String name, Double eta, Double exit, double accuracy, double gmacs,
            double imagesPerS, EvalReport.Baseline base) {
        String vs = base == null ? "" : String.format(Locale.ROOT, " %+12.1f%% %9.2fx",
                100 * (gmacs / base.gmacs() - 1), imagesPerS / base.imagesPerS());
        log.printf(Locale.ROOT, "%-24s %6s %8.2f%% %7s %8.4f %9.1f%s%n", name,
                eta == null ? "-" : String.format(Locale.ROOT, "%.2f", eta), 100 * accuracy,
                exit == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * exit), gmacs, imagesPerS, vs);
    }

    /** The peers as chart series: an eta curve for two-stage peers, one point for single-stage ones. */
    public static List<LineChart.Series> series(List<EvalReport.Peer> peers) {
        List<LineChart.Series> out = new ArrayList<>();
        for (EvalReport.Peer peer : peers) {
            int k = peer.points().size();
            double[] x = new double[k];
            double[] y = new double[k];
            String[] labels = new String[k];
            boolean curve = false;
            for (int i = 0; i < k; i++) {
                EvalReport.PeerPoint p = peer.points().get(i);
                x[i] = p.gmacs();
                y[i] = 100 * p.accuracy();
                labels[i] = p.eta() == null ? "" : String.format(Locale.ROOT, "η=%.2f", p.eta());
                curve |= p.eta() != null;
            }
            out.add(new LineChart.Series(peer.name(), x, y, curve ? labels : null, curve && k > 1));
        }
        return out;
    }
}
