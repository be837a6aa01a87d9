package dev.bp4j.cli.plot;

import dev.bp4j.benchmarks.quick.BenchReport;
import dev.bp4j.benchmarks.quick.GemmResult;
import dev.bp4j.benchmarks.quick.TrainingThroughput;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.List;

/**
 * The picture of a {@code bp4j bench} run: SGEMM GFLOP/s against n, one line per backend, and
 * training samples/s, one bar per backend, below it. Sizes double from one to the next, so n is
 * plotted at log₂ n on a linear axis labelled with n at each power of two: XChart's own
 * logarithmic axis labels decades only, which leaves 128 … 1024 with a single label.
 */
public final class BenchmarkChart {

    static final int WIDTH = 900;
    static final int HEIGHT = 420;

    private BenchmarkChart() {
    }

    public static ChartSheet of(BenchReport report) {
        ChartSheet sheet = new ChartSheet(WIDTH);
        if (!report.gemm().isEmpty()) {
            XYChart gemm = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("SGEMM C = A·B (n × n)")
                    .xAxisTitle("n").yAxisTitle("GFLOP/s").build();
            gemm.getStyler().setxAxisTickLabelsFormattingFunction(BenchmarkChart::powerOfTwoLabel);
            gemm.getStyler().setYAxisMin(0.0);
            gemm.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            gemm.getStyler().setChartBackgroundColor(Color.WHITE);
            for (String backend : report.backends()) {
                List<GemmResult> points = report.gemm().stream().filter(r -> r.backend().equals(backend)).toList();
                if (!points.isEmpty()) {
                    gemm.addSeries(backend, points.stream().mapToDouble(r -> log2(r.n())).toArray(),
                            points.stream().mapToDouble(GemmResult::gflops).toArray()).setMarker(SeriesMarkers.CIRCLE);
                }
            }
            sheet.add(gemm, HEIGHT);
        }
        if (!report.training().isEmpty()) {
            TrainingThroughput first = report.training().getFirst();
            CategoryChart training = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                    .title("Training " + first.network() + ", batch " + first.batch())
                    .xAxisTitle("backend").yAxisTitle("samples/s").build();
            training.getStyler().setLegendVisible(false);
            training.getStyler().setYAxisMin(0.0);
            training.getStyler().setChartBackgroundColor(Color.WHITE);
            training.addSeries("samples/s", report.training().stream().map(TrainingThroughput::backend).toList(),
                    report.training().stream().map(t -> (Number) t.samplesPerSecond()).toList());
            sheet.add(training, HEIGHT);
        }
        return sheet;
    }

    static double log2(int n) {
        return Math.log(n) / Math.log(2);
    }

    /** n at whole powers of two, nothing between them. */
    static String powerOfTwoLabel(double log2OfN) {
        long exponent = Math.round(log2OfN);
        return Math.abs(log2OfN - exponent) < 1e-9 && exponent >= 0 && exponent < 63 ? Long.toString(1L << exponent) : "";
    }
}
