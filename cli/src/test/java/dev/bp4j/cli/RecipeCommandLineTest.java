package dev.bp4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bp4j.trainer.model.ModelFile;
import dev.bp4j.trainer.model.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bp4j train}'s recipe options end to end on digits and the reference backend, and their one-line errors. */
class RecipeCommandLineTest {

    @TempDir
    Path folder;

    @Test
    void theWholeRecipeTrainsReportsSavesTheChosenEpochAndEvalIgnoresIt() throws Exception {
        Path model = folder.resolve("digits.safetensors");
        Path report = folder.resolve("digits.json");
        Path plot = folder.resolve("digits.png");
        CommandRun train = CommandRun.of("train", "--backend", "cpu", "--epochs", "6", "--activation", "relu", "--dropout", "0.2", "--input-dropout", "0.1",
                "--weight-decay", "0.01", "--init", "fan-in",
                "--lr-schedule", "cosine", "--warmup-steps", "10", "--clip-norm", "5", "--validation-fraction", "0.1",
                "--early-stopping", "3", "--save", model.toString(), "--report", report.toString(), "--plot", plot.toString());
        assertEquals(0, train.exit(), train.err());
        assertTrue(train.out().contains("val loss") && train.out().contains("lr "), train.out());
        assertTrue(train.out().contains("(lowest validation loss)"), train.out());

        JsonObject json = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        int chosen = json.get("chosen_epoch").getAsInt();
        assertTrue(chosen >= 1 && chosen <= 6, "chosen epoch " + chosen);
        assertEquals("lowest validation loss", json.get("chosen_by").getAsString());
        assertEquals(0.2f, json.get("dropout").getAsFloat());
        assertEquals(0.1f, json.get("input_dropout").getAsFloat());
        assertEquals("fan-in", json.get("init").getAsString());
        assertTrue(json.getAsJsonArray("epochs").get(0).getAsJsonObject().has("validation_loss"));
        assertTrue(json.getAsJsonArray("epochs").get(0).getAsJsonObject().has("learning_rate"));
        assertTrue(Files.size(plot) > 0);

        Map<String, String> metadata = SafetensorsFile.read(model).metadata();
        assertEquals(Integer.toString(chosen), metadata.get("training.chosen_epoch"));
        assertEquals("cosine", metadata.get("training.lr_schedule"));
        assertEquals("0.2", metadata.get("training.dropout"));
        assertEquals("0.1", metadata.get("training.input_dropout"));
        assertTrue(train.out().contains("saved the model of epoch " + chosen), train.out());
        ModelFile.load(model);

        // eval scores the saved (chosen) model on the same test part, without dropout: the report's figure.
        CommandRun eval = CommandRun.of("eval", "--model", model.toString(), "--backend", "cpu");
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().contains(String.format(java.util.Locale.ROOT, "%.4f", json.get("test_accuracy").getAsDouble())),
                eval.out() + " vs " + json.get("test_accuracy"));
    }

    @Test
    void helpSaysBiasesAreExcludedFromWeightDecay() {
        CommandRun help = CommandRun.of("train", "--help");
        assertTrue(help.out().replaceAll("\\s+", " ").contains("biases are excluded unless --weight-decay-biases"), help.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--dropout|1|--dropout: expected a probability in [0, 1), got 1.0",
            "--input-dropout|-0.1|--input-dropout: expected a probability in [0, 1), got -0.1",
            "--weight-decay|-1|--weight-decay: expected a number ≥ 0, got -1.0",
            "--clip-norm|-2|--clip-norm: expected a number ≥ 0, got -2.0",
            "--validation-fraction|1.5|--validation-fraction: expected a number in [0, 1), got 1.5",
            "--init|xavier|--init: expected auto, he, glorot or fan-in, got 'xavier'",
            "--lr-schedule|linear|--lr-schedule: expected constant, step or cosine, got 'linear'",
            "--early-stopping|3|--early-stopping 3 needs a validation part: add --validation-fraction, e.g. 0.1"})
    void aBadRecipeOptionIsOneLineNamingIt(String option, String value, String message) {
        CommandRun bad = CommandRun.of("train", "--backend", "reference", option, value);
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains(message), bad.err());
        assertFalse(bad.err().contains("at dev.bp4j"), "no stack trace: " + bad.err());
    }
}
