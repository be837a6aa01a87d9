package dev.bp4j.examples;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.BuildInfo;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.model.ModelFile;
import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.Network;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.Predictor;
import dev.bp4j.trainer.train.Trainer;
import dev.bp4j.trainer.train.TrainingListener;
import dev.bp4j.trainer.train.TrainingSettings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/model-format.md is specific enough to read a model elsewhere: benchmarks/peers/read_model.py,
 * written from that page alone with numpy, must predict what bp4j predicts from the same file.
 */
class ModelFormatReaderTest {

    private static final Path READER = Path.of("").toAbsolutePath().getParent().resolve("benchmarks/peers/read_model.py");
    private static final int ROWS = 40;

    @BeforeAll
    static void numpyPresent() throws Exception {
        boolean present = run(List.of("/usr/bin/python3", "-c", "import numpy")).exit == 0;
        if (!present && System.getenv("CI") != null) {
            fail("CI must run the model-format reader test: apt-get install python3-numpy");
        }
        Assumptions.assumeTrue(present, "SKIPPED: /usr/bin/python3 with numpy is missing (apt-get install python3-numpy)");
    }

    @Test
    void classifierReadsAlike(@TempDir Path folder) throws Exception {
        check(folder, NetworkSpec.of(new int[] {64, 24, 16, 10}, Activation.TANH, LossFunction.SOFTMAX_CROSS_ENTROPY, true));
    }

    @Test
    void singleOutputModelReadsAlike(@TempDir Path folder) throws Exception {
        // One sigmoid output under the quadratic cost: the 0.5 threshold and the output activation.
        check(folder, new NetworkSpec(new int[] {2, 8, 1}, Activation.TANH, Activation.SIGMOID, LossFunction.QUADRATIC));
    }

    private static void check(Path folder, NetworkSpec spec) throws Exception {
        boolean oneOutput = spec.outputs() == 1;
        DataRequest request = oneOutput ? new DataRequest("xor", -1, 0.25, 3, "auto") : DataRequest.of("digits");
        Path model = folder.resolve("model.safetensors");
        float[] raw;
        float[] expected;
        int[] expectedClasses;
        try (Backend backend = Backends.open("reference")) {
            DataSplit data = DataSources.load(request);
            TrainingSettings settings = new TrainingSettings(5, 16, 11, OptimizerSettings.of(OptimizerKind.ADAM, 0.01f));
            try (Trainer trainer = new Trainer(backend, spec, data, settings)) {
                trainer.train(new TrainingListener() { });
                ModelFile.save(model, new SavedModel(spec, trainer.network().download(), data.scaling(), request,
                        data.classification(), BuildInfo.version()));
            }
            SavedModel saved = ModelFile.load(model);
            DataSplit unscaled = DataSources.load(new DataRequest(request.source(), request.labelColumn(),
                    request.testFraction(), request.seed(), "none"));
            raw = Arrays.copyOf(unscaled.test().features(), Math.min(ROWS, unscaled.test().sampleCount()) * spec.inputs());
            float[] scaled = raw.clone();
            saved.scaling().applyInPlace(scaled);
            try (Network network = new Network(backend, saved.spec(), saved.parameters());
                 Predictor predictor = new Predictor(backend, network)) {
                expected = predictor.outputs(scaled);
                expectedClasses = predictor.classes(scaled);
            }
        }
        Path features = folder.resolve("features.csv");
        Files.writeString(features, csv(raw, spec.inputs()));

        float[] values = parse(reader(model, features, "value"));
        assertEquals(expected.length, values.length);
        for (int i = 0; i < values.length; i++) {
            assertEquals(expected[i], values[i], 1e-4 + 1e-4 * Math.abs(expected[i]), "output " + i);
        }
        int[] classes = Arrays.stream(reader(model, features, "class").strip().split("\n")).mapToInt(Integer::parseInt).toArray();
        assertArrayEquals(expectedClasses, classes);
    }

    private static String reader(Path model, Path features, String output) throws Exception {
        Result result = run(List.of("/usr/bin/python3", READER.toString(), model.toString(), features.toString(), "--output", output));
        assertEquals(0, result.exit, result.output);
        return result.output;
    }

    private static String csv(float[] rows, int cols) {
        StringBuilder text = new StringBuilder();
        for (int row = 0; row < rows.length / cols; row++) {
            for (int j = 0; j < cols; j++) {
                text.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s", rows[row * cols + j]));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static float[] parse(String lines) {
        List<Float> values = new ArrayList<>();
        for (String line : lines.strip().split("\n")) {
            for (String cell : line.split(",")) {
                values.add(Float.parseFloat(cell));
            }
        }
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python did not finish");
        return new Result(process.exitValue(), output);
    }
}
