package dev.bp4j.cli.plot;

import dev.bp4j.benchmarks.quick.BenchReport;
import dev.bp4j.benchmarks.quick.GemmResult;
import dev.bp4j.benchmarks.quick.TrainingThroughput;
import dev.bp4j.trainer.train.EpochSummary;
import dev.bp4j.trainer.train.Evaluation;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsTest {

    @TempDir
    Path folder;

    private static List<EpochSummary> epochs(boolean classification) {
        return epochs(classification, 5);
    }

    private static List<EpochSummary> epochs(boolean classification, int count) {
        List<EpochSummary> epochs = new ArrayList<>();
        for (int e = 1; e <= count; e++) {
            double accuracy = classification ? 0.5 + 0.08 * e : Double.NaN;
            epochs.add(new EpochSummary(e, 10, 1.0 / e, accuracy, new Evaluation(100, 1.2 / e, accuracy), 0.5, 2000, 100, 0,
                    new Evaluation(50, 1.1 / e, accuracy), 0.01));
        }
        return epochs;
    }

    /** Pixels that are not white: a drawn chart has many. */
    private static long inkedPixels(BufferedImage image) {
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    inked++;
                }
            }
        }
        return inked;
    }

    @Test
    void classificationRunsGetALossAndAnAccuracyChart() throws Exception {
        Path png = folder.resolve("curves.png");
        TrainingCurves.of("digits, 64,32,10, cpu", epochs(true)).writePng(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(TrainingCurves.WIDTH, image.getWidth());
        assertEquals(2 * TrainingCurves.HEIGHT, image.getHeight());
        assertTrue(inkedPixels(image) > 10_000, "the charts were drawn");
    }

    /** 2,000 epochs (xor's default): lines without markers, which would smear into a band, and a dozen epoch labels at most. */
    @Test
    void longRunsAreDrawnWithoutMarkersAndWithFewEpochLabels() throws Exception {
        ChartSheet sheet = TrainingCurves.of("xor, 2,2,1, cpu", epochs(true, 2000));
        for (Chart<?, ?> chart : sheet.charts()) {
            XYChart xy = (XYChart) chart;
            assertEquals(TrainingCurves.X_LABELS, xy.getStyler().getXAxisMaxLabelCount());
            xy.getSeriesMap().values().forEach(series -> assertEquals(SeriesMarkers.NONE, series.getMarker(), series.getName()));
        }
        TrainingCurves.of("digits", epochs(true, 30)).charts().forEach(chart -> ((XYChart) chart).getSeriesMap().values()
                .forEach(series -> assertNotEquals(SeriesMarkers.NONE, series.getMarker(), "a short run marks its points")));
        Path png = folder.resolve("long.png");
        sheet.writePng(png);
        assertTrue(inkedPixels(ImageIO.read(png.toFile())) > 1000);
    }

    @Test
    void regressionRunsGetTheLossChartOnly() {
        assertEquals(1, TrainingCurves.of("regression", epochs(false)).chartCount());
    }

    @Test
    void aRunWithoutEpochsHasNothingToDraw() {
        assertThrows(IllegalArgumentException.class, () -> TrainingCurves.of("empty", List.of()));
    }

    @Test
    void sizesAreLabelledAtPowersOfTwoOnly() {
        assertEquals("1024", BenchmarkChart.powerOfTwoLabel(BenchmarkChart.log2(1024)));
        assertEquals("128", BenchmarkChart.powerOfTwoLabel(7.0));
        assertEquals("", BenchmarkChart.powerOfTwoLabel(7.5));
    }

    @Test
    void benchChartsShowGemmAndTraining() throws Exception {
        BenchReport report = new BenchReport("2 cores", List.of(),
                List.of(new GemmResult("cpu", 128, 50), new GemmResult("cpu", 256, 80), new GemmResult("reference", 128, 0.3)),
                List.of(new TrainingThroughput("cpu", "784,256,256,10", 128, 20000)));
        Path png = folder.resolve("bench.png");
        BenchmarkChart.of(report).writePng(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(2 * BenchmarkChart.HEIGHT, image.getHeight());
        assertTrue(inkedPixels(image) > 10_000, "the charts were drawn");
    }
}
