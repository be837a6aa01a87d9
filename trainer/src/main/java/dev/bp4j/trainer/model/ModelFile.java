package dev.bp4j.trainer.model;

import dev.bp4j.api.Activation;
import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.io.WriteSteps;
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

    /** Metadata key of a model saved from a run stopped early: the steps it had done. */
    public static final String INTERRUPTED_AFTER_STEP = "interrupted_after_step";

    public static void save(Path file, SavedModel model) throws IOException {
        save(file, model, Map.of());
    }

    /** Saves with extra metadata strings, e.g. {@link #INTERRUPTED_AFTER_STEP}; readers ignore keys they do not know. */
    public static void save(Path file, SavedModel model, Map<String, String> notes) throws IOException {
        save(file, model, notes, WriteSteps.DIRECT);
    }

    /** As above, through the given write steps (see {@link WriteSteps}). */
    public static void save(Path file, SavedModel model, Map<String, String> notes, WriteSteps steps) throws IOException {
        Map<String, String> metadata = metadata(model);
        metadata.putAll(notes);
        SafetensorsFile.write(file, tensors(model), metadata, steps);
    }

    /** The model's tensors, named and shaped as described above, in file order. */
    public static Map<String, Tensor> tensors(SavedModel model) {
        NetworkSpec spec = model.spec();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int l = 0; l < spec.layerCount(); l++) {
            tensors.put(weightName(l), Tensor.matrix(spec.width(l + 1), spec.width(l), model.parameters().weights().get(l)));
            tensors.put(biasName(l), Tensor.vector(model.parameters().biases().get(l)));
        }
        tensors.put(OFFSET, Tensor.vector(model.scaling().offset()));
        tensors.put(SCALE, Tensor.vector(model.scaling().scale()));
        return tensors;
    }

    /** The model's metadata strings. */
    public static Map<String, String> metadata(SavedModel model) {
        NetworkSpec spec = model.spec();
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
        return metadata;
    }

    public static SavedModel load(Path file) throws IOException, DataFormatException {
        SafetensorsFile.Contents contents = SafetensorsFile.read(file);
        return decode(file, contents.tensors(), contents.metadata());
    }

    /**
     * The model that {@code tensors} and {@code metadata}, read from {@code file}, describe: the
     * tensor names must be exactly the model's, every shape must match the architecture and
     * every value must be finite.
     */
    public static SavedModel decode(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws DataFormatException {
        MetadataFields meta = new MetadataFields(file, metadata);
        if (!FORMAT.equals(meta.require("format"))) {
            throw meta.error("format", "expected " + FORMAT + ", found '" + meta.require("format") + "'");
        }
        NetworkSpec spec = spec(meta);
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

    /**
     * The tensor name of parameter {@code index} in the order {@code Network.parameters()} lists
     * them: each layer's weights, then its bias.
     */
    public static String parameterName(int index) {
        return index % 2 == 0 ? weightName(index / 2) : biasName(index / 2);
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
        int bad = tensor.firstNonFinite();
        if (bad >= 0) {
            throw DataFormatException.at(file, "header entry '" + name + "'", "element " + bad + " is " + tensor.data()[bad]
                    + ", expected a finite number");
        }
        return tensor.data();
    }

    private static NetworkSpec spec(MetadataFields meta) throws DataFormatException {
        String architecture = meta.require("architecture");
        int[] widths;
        try {
            widths = Arrays.stream(architecture.split(",", -1)).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        } catch (NumberFormatException e) {
            throw meta.error("architecture", "expected comma-separated layer widths, found '" + architecture + "'");
        }
        try {
            return new NetworkSpec(widths, Activation.fromId(meta.require("activation")),
                    Activation.fromId(meta.require("output_activation")), LossFunction.fromId(meta.require("loss")));
        } catch (IllegalArgumentException e) {
            throw DataFormatException.at(meta.file(), "header entry '__metadata__'", e.getMessage());
        }
    }
}
