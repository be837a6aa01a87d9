package dev.bp4j.spark;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bp4j.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bp4j-spark train} as spark-submit runs it (the master comes from the {@code spark.*}
 * system properties spark-submit sets), and the model it saves read by {@code bp4j eval} and
 * {@code bp4j predict}.
 */
class SparkMainTest {

    private static final Map<String, String> SUBMITTED = Map.of("spark.master", "local[2]", "spark.driver.host", "127.0.0.1",
            "spark.driver.bindAddress", "127.0.0.1", "spark.ui.enabled", "false");
    private static final Pattern ACCURACY = Pattern.compile("test accuracy (\\d\\.\\d{4})");

    @TempDir
    Path folder;

    @BeforeAll
    static void submit() {
        SUBMITTED.forEach(System::setProperty);
    }

    @AfterAll
    static void done() {
        SUBMITTED.keySet().forEach(System::clearProperty);
    }

    static int execute(CommandLine commandLine, StringWriter out, StringWriter err, String... args) {
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static String accuracy(String output) {
        Matcher m = ACCURACY.matcher(output);
        assertTrue(m.find(), output);
        String last = m.group(1);
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    @Test
    void trainsSavesAModelThatBp4jEvaluatesAndPredictsWithAndReportsComputeAgainstCombine() throws Exception {
        Path model = folder.resolve("digits.safetensors");
        Path report = folder.resolve("report.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = execute(SparkMain.commandLine(), out, err, "train", "--data", "digits", "--layers", "64,16,10", "--activation", "tanh",
                "--epochs", "2", "--partitions", "2", "--sync-every", "4", "--save", model.toString(), "--report", report.toString());
        assertEquals(0, exit, err.toString());
        String trained = accuracy(out.toString());

        JsonObject json = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        assertEquals(2, json.get("partitions").getAsInt());
        assertEquals(2, json.getAsJsonArray("epochs").size());
        JsonObject epoch = json.getAsJsonArray("epochs").get(1).getAsJsonObject();
        assertTrue(epoch.get("compute_seconds").getAsDouble() > 0 && epoch.get("combine_seconds").getAsDouble() > 0, epoch.toString());
        assertTrue(json.getAsJsonObject("workers").get("1").getAsString().contains(": cpu ("), json.toString());

        StringWriter evalOut = new StringWriter();
        StringWriter evalErr = new StringWriter();
        assertEquals(0, execute(Main.commandLine(), evalOut, evalErr, "eval", "--model", model.toString(), "--backend", "cpu"),
                evalErr.toString());
        assertEquals(trained, accuracy(evalOut.toString()), "bp4j eval finds the accuracy the run reported");

        Path rows = folder.resolve("rows.csv");
        Files.writeString(rows, "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0\n");
        StringWriter predicted = new StringWriter();
        assertEquals(0, execute(Main.commandLine(), predicted, new StringWriter(), "predict", "--model", model.toString(), "--input",
                rows.toString(), "--backend", "cpu"));
        assertTrue(predicted.toString().strip().matches("[0-9]"), predicted.toString());
    }

    @Test
    void aMissingDataPathIsOneLineAndExitOne() {
        StringWriter err = new StringWriter();
        String absent = folder.resolve("absent.csv").toString();
        assertEquals(1, execute(SparkMain.commandLine(), new StringWriter(), err, "train", "--data", absent));
        assertEquals("bp4j-spark train: " + absent + ": no such file or folder; expected digits, xor, fashion-mnist, or a "
                + "Hadoop-readable folder of IDX files or .csv/.csv.gz file", err.toString().strip());
    }

    @Test
    void aBadSyncIntervalIsAUsageError() {
        StringWriter err = new StringWriter();
        assertEquals(2, execute(SparkMain.commandLine(), new StringWriter(), err, "train", "--sync-every", "0"));
        assertTrue(err.toString().contains("--sync-every: expected at least 1, got 0"), err.toString());
    }
}
