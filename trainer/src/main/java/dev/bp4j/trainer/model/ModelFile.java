package dev.bp4j.trainer.model;

import dev.bp4j.api.Activation;
import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * bp4j models as safetensors files. Tensors: {@code layers.<l>.weight} (out × in) and
 * {@code layers.<l>.bias} (out), as PyTorch's {@code Linear} names and shapes them, and
 * {@code preprocessing.offset} / {@code preprocessing.scale} (features), the affine feature
 * scaling x′ = (x − offset) · scale. The {@code __metadata__} strings hold the architecture,
 * activations, loss, task, the scaling method, the data source and split, and the bp4j version.
 *
 * <p>In Python: {@code safetensors.numpy.load_file(path)} gives the arrays, and
 * {@code safe_open(path, "np").metadata()} the strings.
 */
public final class ModelFile {

    public static final String FORMAT = "bp4j-mlp";
    private static final String OFFSET = "preprocessing.offset";
    private static final String SCALE = "preprocessing.scale";

    private ModelFile() {
    }

    public static void save(Path file, SavedModel model) throws IOException {
        NetworkSpec spec = model.spec();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int l = 0; l < spec.layerCount(); l++) {
            tensors.put(weightName(l), Tensor.matrix(spec.width(l + 1), spec.width(l), model.parameters().weights().get(l)));
            tensors.put(biasName(l), Tensor.vector(model.parameters().biases().get(l)));
        }
        tensors.put(OFFSET, Tensor.vector(model.scaling().offset()));
        tensors.put(SCALE, Tensor.vector(model.scaling().scale()));

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("architecture", spec.architecture());
        metadata.put("activation", spec.hiddenActivation().id());
        metadata.put("output_activation", spec.outputActivation().id());
        metadata.put("loss", spec.loss().id());
        metadata.put("task", model.classification() ? "classification" : "regression");
        metadata.put("scaling", model.scaling().method());
        metadata.put("data_source", model.data().source());
        metadata.put("label_column", Integer.toString(model.data().labelColumn()));
        metadata.put("split_seed", Long.toString(model.data().seed()));
        metadata.put("test_fraction", Double.toString(model.data().testFraction()));
        metadata.put("data_scaling", model.data().scaling());
        metadata.put("bp4j_version", model.version());
        SafetensorsFile.write(file, tensors, metadata);
    }

    public static SavedModel load(Path file) throws IOException, DataFormatException {
        SafetensorsFile.Contents contents = SafetensorsFile.read(file);
        Metadata meta = new Metadata(file, contents.metadata());
        if (!FORMAT.equals(meta.require("format"))) {
            throw meta.error("format", "expected " + FORMAT + ", found '" + meta.require("format") + "'");
        }
        NetworkSpec spec = meta.spec();
        Map<String, Tensor> tensors = contents.tensors();
        checkTensorNames(file, spec, tensors.keySet());

        List<float[]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        for (int l = 0; l < spec.layerCount(); l++) {
            weights.add(shaped(file, weightName(l), tensors, spec.width(l + 1), spec.width(l)));
            biases.add(shaped(file, biasName(l), tensors, spec.width(l + 1)));
        }
        FeatureScaling scaling = new FeatureScaling(meta.require("scaling"),
                shaped(file, OFFSET, tensors, spec.inputs()), shaped(file, SCALE, tensors, spec.inputs()));
        String task = meta.require("task");
        if (!task.equals("classification") && !task.equals("regression")) {
            throw meta.error("task", "expected classification or regression, found '" + task + "'");
        }
        DataRequest data = new DataRequest(meta.require("data_source"), meta.integer("label_column"),
                meta.fraction("test_fraction"), meta.longInteger("split_seed"), meta.require("data_scaling"));
        return new SavedModel(spec, new NetworkParameters(weights, biases), scaling, data, task.equals("classification"),
                meta.require("bp4j_version"));
    }

    private static String weightName(int layer) {
        return "layers." + layer + ".weight";
    }

    private static String biasName(int layer) {
        return "layers." + layer + ".bias";
    }

    private static void checkTensorNames(Path file, NetworkSpec spec, Set<String> found) throws DataFormatException {
        Set<String> expected = new TreeSet<>(List.of(OFFSET, SCALE));
        for (int l = 0; l < spec.layerCount(); l++) {
            expected.add(weightName(l));
            expected.add(biasName(l));
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(found);
        Set<String> unexpected = new TreeSet<>(found);
        unexpected.removeAll(expected);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw DataFormatException.at(file, "header", "tensors do not match the architecture " + spec.architecture()
                    + (missing.isEmpty() ? "" : "; missing " + missing) + (unexpected.isEmpty() ? "" : "; unexpected " + unexpected));
        }
    }

    private static float[] shaped(Path file, String name, Map<String, Tensor> tensors, long... shape) throws DataFormatException {
        Tensor tensor = tensors.get(name);
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw DataFormatException.at(file, "header entry '" + name + "'", "expected shape " + Arrays.toString(shape)
                    + ", found " + Arrays.toString(tensor.shape()));
        }
        return tensor.data();
    }

    /** Typed access to the metadata strings, each failure naming the key. */
    private record Metadata(Path file, Map<String, String> values) {

        String require(String key) throws DataFormatException {
            String value = values.get(key);
            if (value == null) {
                throw error(key, "missing");
            }
            return value;
        }

        int integer(String key) throws DataFormatException {
            try {
                return Integer.parseInt(require(key));
            } catch (NumberFormatException e) {
                throw error(key, "expected an integer, found '" + values.get(key) + "'");
            }
        }

        long longInteger(String key) throws DataFormatException {
            try {
                return Long.parseLong(require(key));
            } catch (NumberFormatException e) {
                throw error(key, "expected an integer, found '" + values.get(key) + "'");
            }
        }

        double fraction(String key) throws DataFormatException {
            try {
                double value = Double.parseDouble(require(key));
                if (value >= 0 && value < 1) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw error(key, "expected a number in [0, 1), found '" + values.get(key) + "'");
        }

        NetworkSpec spec() throws DataFormatException {
            String architecture = require("architecture");
            int[] widths;
            try {
                widths = Arrays.stream(architecture.split(",", -1)).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
            } catch (NumberFormatException e) {
                throw error("architecture", "expected comma-separated layer widths, found '" + architecture + "'");
            }
            try {
                return new NetworkSpec(widths, Activation.fromId(require("activation")),
                        Activation.fromId(require("output_activation")), LossFunction.fromId(require("loss")));
            } catch (IllegalArgumentException e) {
                throw DataFormatException.at(file, "header entry '__metadata__'", e.getMessage());
            }
        }

        DataFormatException error(String key, String problem) {
            return DataFormatException.at(file, "header entry '__metadata__." + key + "'", problem);
        }
    }
}
