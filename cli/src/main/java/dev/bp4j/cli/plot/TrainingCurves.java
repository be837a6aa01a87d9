package dev.bp4j.cli.plot;

import dev.bp4j.trainer.train.EpochSummary;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.List;

/**
 * The curves of a training run, per epoch: training and test loss on one chart, and, for
 * classification, training and test accuracy on a second one below it. This is what
 * {@code bp4j train --plot FILE.png} draws.
 */
public final class TrainingCurves {

    static final int WIDTH = 900;
    static final int HEIGHT = 420;
    /** Up to this many epochs each point gets a marker; beyond, markers would smear into a band, so the lines go alone. */
    static final int MARKED_EPOCHS = 60;
    /** Epoch labels on the x axis: more run together at this width. */
    static final int X_LABELS = 12;

    private TrainingCurves() {
    }

    /** @param title names the run: data, network and backend */
    public static ChartSheet of(String title, List<EpochSummary> epochs) {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("a run with no finished epoch has no curves to draw");
        }
        double[] epochNumbers = epochs.stream().mapToDouble(EpochSummary::epoch).toArray();
        boolean marked = epochs.size() <= MARKED_EPOCHS;
        Marker circle = marked ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE;
        Marker diamond = marked ? SeriesMarkers.DIAMOND : SeriesMarkers.NONE;
        Marker square = marked ? SeriesMarkers.SQUARE : SeriesMarkers.NONE;
        XYChart loss = chart(title + ": loss", "loss", Styler.LegendPosition.InsideNE);
        loss.addSeries("training loss", epochNumbers, epochs.stream().mapToDouble(EpochSummary::trainLoss).toArray())
                .setMarker(circle);
        loss.addSeries("test loss", epochNumbers, epochs.stream().mapToDouble(e -> e.test().loss()).toArray())
                .setMarker(diamond);
        boolean validated = epochs.getFirst().validated();
        if (validated) {
            loss.addSeries("validation loss", epochNumbers, epochs.stream().mapToDouble(e -> e.validation().loss()).toArray())
                    .setMarker(square);
        }
        ChartSheet sheet = new ChartSheet(WIDTH).add(loss, HEIGHT);

        if (epochs.getFirst().test().hasAccuracy()) {
            XYChart accuracy = chart(title + ": accuracy", "accuracy", Styler.LegendPosition.InsideSE);
            accuracy.addSeries("training accuracy", epochNumbers,
                    epochs.stream().mapToDouble(EpochSummary::trainAccuracy).toArray()).setMarker(circle);
            accuracy.addSeries("test accuracy", epochNumbers,
                    epochs.stream().mapToDouble(e -> e.test().accuracy()).toArray()).setMarker(diamond);
            if (validated) {
                accuracy.addSeries("validation accuracy", epochNumbers,
                        epochs.stream().mapToDouble(e -> e.validation().accuracy()).toArray()).setMarker(square);
            }
            sheet.add(accuracy, HEIGHT);
        }
        return sheet;
    }

    /** Losses fall and accuracies rise, so each legend goes in the corner its curves leave empty. */
    private static XYChart chart(String title, String yAxis, Styler.LegendPosition legend) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle(yAxis).build();
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisMaxLabelCount(X_LABELS);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        return chart;
    }
}
