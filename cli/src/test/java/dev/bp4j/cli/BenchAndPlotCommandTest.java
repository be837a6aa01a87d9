package dev.bp4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bp4j bench} argument checking and {@code bp4j train --plot}, through picocli's execute. */
class BenchAndPlotCommandTest {

    @TempDir
    Path folder;

    private static int execute(StringWriter out, StringWriter err, String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void benchRejectsAnUnknownBackendWithAUsageError() {
        StringWriter err = new StringWriter();
        assertEquals(2, execute(new StringWriter(), err, "bench", "--backends", "cpu,nonesuch"));
        assertTrue(err.toString().contains("--backends: unknown backend 'nonesuch'"), err.toString());
    }

    @Test
    void benchRejectsNonPositiveSizes() {
        StringWriter err = new StringWriter();
        assertEquals(2, execute(new StringWriter(), err, "bench", "--sizes", "128,0"));
        assertTrue(err.toString().contains("--sizes"), err.toString());
    }

    @Test
    void trainDrawsItsCurvesWithPlot() throws Exception {
        Path png = folder.resolve("xor.png");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = execute(out, err, "train", "--data", "xor", "--backend", "reference", "--epochs", "20", "--plot", png.toString());
        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("drew the training curves to " + png), out.toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(Files.size(png) > 1000 && image.getWidth() > 0, "a PNG image was written");
    }
}
