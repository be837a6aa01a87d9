package dev.bp4j.trainer.model;

import dev.bp4j.api.Activation;
import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {

    @TempDir
    Path folder;

    private static SavedModel model() {
        NetworkSpec spec = new NetworkSpec(new int[] {3, 4, 2}, Activation.TANH, Activation.IDENTITY, LossFunction.SOFTMAX_CROSS_ENTROPY);
        NetworkParameters parameters = NetworkParameters.initialise(spec, new SplittableRandom(5));
        parameters.biases().get(0)[1] = 0.25f;
        FeatureScaling scaling = new FeatureScaling("standard", new float[] {1, 2, 3}, new float[] {0.5f, 0.25f, 2});
        return new SavedModel(spec, parameters, scaling, new DataRequest("/data/x.csv", 2, 0.3, 77, "auto"), true, "0.1.0-test");
    }

    @Test
    void everythingSavedIsLoadedBack() throws Exception {
        SavedModel saved = model();
        Path file = folder.resolve("m.safetensors");
        ModelFile.save(file, saved);
        SavedModel loaded = ModelFile.load(file);
        assertEquals(saved.spec(), loaded.spec());
        for (int l = 0; l < saved.spec().layerCount(); l++) {
            assertArrayEquals(saved.parameters().weights().get(l), loaded.parameters().weights().get(l));
            assertArrayEquals(saved.parameters().biases().get(l), loaded.parameters().biases().get(l));
        }
        assertEquals(saved.scaling().method(), loaded.scaling().method());
        assertArrayEquals(saved.scaling().offset(), loaded.scaling().offset());
        assertArrayEquals(saved.scaling().scale(), loaded.scaling().scale());
        assertEquals(saved.data(), loaded.data());
        assertEquals(saved.classification(), loaded.classification());
        assertEquals("0.1.0-test", loaded.version());
    }

    @Test
    void tensorsUsePyTorchNamesAndShapes() throws Exception {
        Path file = folder.resolve("m.safetensors");
        ModelFile.save(file, model());
        SafetensorsFile.Contents contents = SafetensorsFile.read(file);
        assertArrayEquals(new long[] {4, 3}, contents.tensors().get("layers.0.weight").shape());
        assertArrayEquals(new long[] {4}, contents.tensors().get("layers.0.bias").shape());
        assertArrayEquals(new long[] {2, 4}, contents.tensors().get("layers.1.weight").shape());
        assertArrayEquals(new long[] {3}, contents.tensors().get("preprocessing.scale").shape());
        assertEquals("3,4,2", contents.metadata().get("architecture"));
        assertEquals("tanh", contents.metadata().get("activation"));
        assertEquals("softmax-ce", contents.metadata().get("loss"));
    }

    @Test
    void aTensorThatDoesNotFitTheArchitectureIsReported() throws Exception {
        Path file = folder.resolve("m.safetensors");
        ModelFile.save(file, model());
        SafetensorsFile.Contents contents = SafetensorsFile.read(file);

        Map<String, Tensor> wrongShape = new LinkedHashMap<>(contents.tensors());
        wrongShape.put("layers.1.weight", Tensor.matrix(4, 2, new float[8]));
        SafetensorsFile.write(file, wrongShape, contents.metadata());
        assertProblem(file, "'layers.1.weight'", "expected shape [2, 4], found [4, 2]");

        Map<String, Tensor> missing = new LinkedHashMap<>(contents.tensors());
        missing.remove("layers.0.bias");
        SafetensorsFile.write(file, missing, contents.metadata());
        assertProblem(file, "header", "missing [layers.0.bias]");
    }

    @Test
    void badMetadataIsReportedByKey() throws Exception {
        Path file = folder.resolve("m.safetensors");
        ModelFile.save(file, model());
        SafetensorsFile.Contents contents = SafetensorsFile.read(file);
        for (Map.Entry<String, String> bad : Map.of("architecture", "3,x,2", "activation", "swish", "test_fraction", "2",
                "format", "other").entrySet()) {
            Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
            metadata.put(bad.getKey(), bad.getValue());
            SafetensorsFile.write(file, contents.tensors(), metadata);
            DataFormatException e = assertThrows(DataFormatException.class, () -> ModelFile.load(file));
            assertTrue(e.getMessage().startsWith(file + ":") && e.getMessage().contains("__metadata__"), e.getMessage());
        }
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        metadata.remove("loss");
        SafetensorsFile.write(file, contents.tensors(), metadata);
        assertProblem(file, "__metadata__.loss", "missing");
    }

    private static void assertProblem(Path file, String position, String problem) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().startsWith(file + ":") && e.getMessage().contains(position) && e.getMessage().contains(problem),
                e.getMessage());
    }
}
