package dev.bp4j.cli.plot;

import dev.bp4j.trainer.io.AtomicFile;
import dev.bp4j.trainer.io.WriteSteps;
import org.knowm.xchart.internal.chartpart.Chart;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * XChart charts drawn one under the other into a single PNG image. Drawing goes straight
 * through Java2D onto an in-memory image, so no display is needed: the sheet switches AWT to
 * headless mode before it first touches it, which a command-line tool on a server requires.
 */
public final class ChartSheet {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private final int width;
    private final List<Chart<?, ?>> charts = new ArrayList<>();
    private final List<Integer> heights = new ArrayList<>();

    public ChartSheet(int width) {
        if (width < 100) {
            throw new IllegalArgumentException("a chart sheet needs at least 100 pixels of width, got " + width);
        }
        this.width = width;
    }

    /** Adds a chart below the ones already on the sheet. */
    public ChartSheet add(Chart<?, ?> chart, int height) {
        if (height < 100) {
            throw new IllegalArgumentException("a chart needs at least 100 pixels of height, got " + height);
        }
        charts.add(chart);
        heights.add(height);
        return this;
    }

    public int chartCount() {
        return charts.size();
    }

    /** The charts, top to bottom; for tests of their styling. */
    List<Chart<?, ?>> charts() {
        return List.copyOf(charts);
    }

    /** The sheet as an image, charts stacked top to bottom. */
    public BufferedImage render() {
        if (charts.isEmpty()) {
            throw new IllegalStateException("a chart sheet with no chart on it has nothing to draw");
        }
        int total = heights.stream().mapToInt(Integer::intValue).sum();
        BufferedImage image = new BufferedImage(width, total, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, width, total);
            int top = 0;
            for (int i = 0; i < charts.size(); i++) {
                Graphics2D slot = (Graphics2D) graphics.create(0, top, width, heights.get(i));
                try {
                    charts.get(i).paint(slot, width, heights.get(i));
                } finally {
                    slot.dispose();
                }
                top += heights.get(i);
            }
        } finally {
            graphics.dispose();
        }
        return image;
    }

    /** Writes the sheet as a PNG file, atomically: readers never see a half-written image. */
    public void writePng(Path file) throws IOException {
        writePng(file, WriteSteps.DIRECT);
    }

    /** As above, through the given write steps. */
    public void writePng(Path file, WriteSteps steps) throws IOException {
        BufferedImage image = render();
        AtomicFile.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException(file + ": this Java runtime has no PNG writer");
            }
        }, steps);
    }
}
