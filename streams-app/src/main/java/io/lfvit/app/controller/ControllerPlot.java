package io.lfvit.app.controller;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** eta and the focus stage's lateness over time, from a controller's history, as a PNG (JFreeChart, two axes). */
public final class ControllerPlot {
    private ControllerPlot() {}

    public static void write(Path file, List<EtaControllerRun.Sample> history, double targetMs, String title) throws IOException {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("no controller samples to plot");
        }
        long t0 = history.get(0).atMs();
        XYSeries eta = new XYSeries("eta (right axis)");
        XYSeries p99 = new XYSeries("focus answers p99, last window (ms)");
        XYSeries pending = new XYSeries("oldest pending focus task (ms)");
        XYSeries target = new XYSeries("target p99 (ms)");
        for (EtaControllerRun.Sample s : history) {
            double t = (s.atMs() - t0) / 1000.0;
            eta.add(t, s.eta());
            if (!Double.isNaN(s.p99Ms())) {
                p99.add(t, s.p99Ms());
            }
            pending.add(t, s.pendingAgeMs());
            target.add(t, targetMs);
        }
        XYSeriesCollection latency = new XYSeriesCollection();
        latency.addSeries(p99);
        latency.addSeries(pending);
        latency.addSeries(target);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        lines.setSeriesPaint(0, new Color(0x1F77B4));
        lines.setSeriesPaint(1, new Color(0xFF7F0E));
        lines.setSeriesPaint(2, Color.GRAY);
        lines.setSeriesStroke(2, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        XYPlot plot = new XYPlot(latency, new NumberAxis("seconds"), new NumberAxis("ms"), lines);
        NumberAxis etaAxis = new NumberAxis("eta");
        etaAxis.setRange(0, 1);
        plot.setRangeAxis(1, etaAxis);
        plot.setDataset(1, new XYSeriesCollection(eta));
        plot.mapDatasetToRangeAxis(1, 1);
        XYStepRenderer step = new XYStepRenderer();
        step.setSeriesPaint(0, new Color(0xD62728));
        step.setSeriesStroke(0, new BasicStroke(2f));
        plot.setRenderer(1, step);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xE5E5E5));
        plot.setRangeGridlinePaint(new Color(0xE5E5E5));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 540);
    }
}
