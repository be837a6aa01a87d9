package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.io.AtomicFile;
import dev.bp4j.trainer.io.WriteSteps;
import dev.bp4j.trainer.model.MetadataFields;
import dev.bp4j.trainer.model.ModelFile;
import dev.bp4j.trainer.model.SafetensorsFile;
import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.model.Tensor;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.train.EarlyStoppingState;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerState;
import dev.bp4j.trainer.train.TrainingSettings;
import dev.bp4j.trainer.train.TrainingState;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * One checkpoint as a safetensors file: a model file's tensors and metadata (so {@code eval}
 * and Python read it like a model), plus the optimizer's matrices as
 * {@code optimizer.<slot>.<parameter>} (e.g. {@code optimizer.first_moment.layers.0.weight}),
 * the training settings as {@code training.*} and the position as {@code state.*} strings.
 *
 * <p>Integrity: the metadata records a CRC32C of each tensor's bytes ({@code crc32c.<tensor>})
 * and one of the whole header, the 8-byte length included ({@code header_crc32c}), computed
 * with that value's own eight hex digits set to zeros. Reading verifies the header's checksum
 * before parsing it, then the structure (see {@link SafetensorsFile}), then each tensor, and
 * builds nothing until all of it has passed: any defect is a {@link DataFormatException}.
 */
public final class CheckpointFile {

    public static final String FORMAT = "bp4j-checkpoint-1";
    static final String FORMAT_KEY = "checkpoint_format";
    static final String HEADER_CRC_KEY = "header_crc32c";
    private static final String TENSOR_CRC_PREFIX = "crc32c.";
    private static final String OPTIMIZER_PREFIX = "optimizer.";
    /** The best epoch's parameters of a run with a validation part ({@link EarlyStoppingState}). */
    private static final String BEST_PREFIX = "best.";
    private static final String UNSTAMPED = "00000000";
    private static final byte[] HEADER_CRC_FIELD = ("\"" + HEADER_CRC_KEY + "\":\"").getBytes(StandardCharsets.UTF_8);
    private static final HexFormat HEX = HexFormat.of();

    private CheckpointFile() {
    }

    // ---- writing ------------------------------------------------------------------------------

    /**
     * Writes the checkpoint atomically (see {@link AtomicFile}). Refuses, before writing
     * anything, a state holding a NaN or an infinity: a diverged run is never checkpointed.
     */
    public static void write(Path file, Checkpoint checkpoint) throws IOException {
        write(file, checkpoint, WriteSteps.DIRECT);
    }

    /** As {@link #write(Path, Checkpoint)}, through the given steps (the header is flushed before the tensors). */
    public static void write(Path file, Checkpoint checkpoint, WriteSteps steps) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(ModelFile.tensors(checkpoint.model()));
        tensors.putAll(optimizerTensors(checkpoint.state().optimizer(), checkpoint.model().spec()));
        EarlyStoppingState best = checkpoint.state().earlyStopping();
        if (best != null) {
            NetworkSpec spec = checkpoint.model().spec();
            for (int p = 0; p < 2 * spec.layerCount(); p++) {
                float[] values = p % 2 == 0 ? best.bestParameters().weights().get(p / 2) : best.bestParameters().biases().get(p / 2);
                tensors.put(BEST_PREFIX + ModelFile.parameterName(p), new Tensor(parameterShape(spec, p), values));
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>(ModelFile.metadata(checkpoint.model()));
        metadata.put(FORMAT_KEY, FORMAT);
        TrainingMetadata.put(metadata, checkpoint.settings());
        putState(metadata, checkpoint.state());
        for (Map.Entry<String, Tensor> tensor : tensors.entrySet()) {
            int bad = tensor.getValue().firstNonFinite();
            if (bad >= 0) {
                throw new IllegalArgumentException("refusing to checkpoint " + file + ": element " + bad + " of '" + tensor.getKey()
                        + "' is " + tensor.getValue().data()[bad]);
            }
        }
        byte[] header = checksummedHeader(tensors, metadata);
        AtomicFile.write(file, out -> {
            out.write(header);
            out.flush();
            SafetensorsFile.writeData(out, tensors.values());
        }, steps);
    }

    /**
     * The header of a file holding these tensors and metadata, with the checksums of each tensor
     * and of the header added. Checks nothing else, so tests can build well-checksummed files
     * with bad content.
     */
    static byte[] checksummedHeader(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, String> stamped = new LinkedHashMap<>(metadata);
        for (Map.Entry<String, Tensor> tensor : tensors.entrySet()) {
            stamped.put(TENSOR_CRC_PREFIX + tensor.getKey(), hex(crc(tensor.getValue())));
        }
        stamped.put(HEADER_CRC_KEY, UNSTAMPED);
        byte[] header = SafetensorsFile.encodeHeader(tensors, stamped);
        if (!stampHeaderChecksum(header)) {
            throw new IllegalArgumentException("the metadata must not name " + HEADER_CRC_KEY + " anywhere but its own entry");
        }
        return header;
    }

    /**
     * Writes the checksum of {@code header} (the bytes before the data, length included) into its
     * {@value #HEADER_CRC_KEY} field, computed with the field's digits as zeros; false when the
     * field is not there exactly once.
     */
    static boolean stampHeaderChecksum(byte[] header) {
        int field = headerCrcPosition(header);
        if (field < 0) {
            return false;
        }
        byte[] unstamped = UNSTAMPED.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(unstamped, 0, header, field, unstamped.length);
        CRC32C crc = new CRC32C();
        crc.update(header);
        byte[] stamp = hex(crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stamp, 0, header, field, stamp.length);
        return true;
    }

    private static Map<String, Tensor> optimizerTensors(OptimizerState optimizer, NetworkSpec spec) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> slots = optimizer.kind().stateSlots();
        for (int s = 0; s < slots.size(); s++) {
            List<float[]> arrays = optimizer.slots().get(s);
            for (int p = 0; p < arrays.size(); p++) {
                tensors.put(optimizerTensorName(slots.get(s), p), new Tensor(parameterShape(spec, p), arrays.get(p)));
            }
        }
        return tensors;
    }

    private static String optimizerTensorName(String slot, int parameter) {
        return OPTIMIZER_PREFIX + slot + "." + ModelFile.parameterName(parameter);
    }

    /** Parameter p as the network lists them: the weights of layer p / 2 (out × in), then its bias (out). */
    private static long[] parameterShape(NetworkSpec spec, int p) {
        int layer = p / 2;
        return p % 2 == 0 ? new long[] {spec.width(layer + 1), spec.width(layer)} : new long[] {spec.width(layer + 1)};
    }

    private static void putState(Map<String, String> metadata, TrainingState state) {
        metadata.put("state.epochs_done", Integer.toString(state.epochsDone()));
        metadata.put("state.step_in_epoch", Integer.toString(state.stepInEpoch()));
        metadata.put("state.step", Long.toString(state.step()));
        metadata.put("state.epoch_loss_sum", Float.toString(state.epochLossSum()));
        metadata.put("state.epoch_correct", Float.toString(state.epochCorrect()));
        metadata.put("state.optimizer_updates", Long.toString(state.optimizer().updates()));
        if (state.earlyStopping() != null) {
            metadata.put("state.best_epoch", Integer.toString(state.earlyStopping().bestEpoch()));
            metadata.put("state.best_validation_loss", Double.toString(state.earlyStopping().bestLoss()));
            metadata.put("state.epochs_without_improvement", Integer.toString(state.earlyStopping().epochsWithoutImprovement()));
        }
    }

    // ---- reading ------------------------------------------------------------------------------

    /** True when a file's metadata marks it as a checkpoint rather than a plain model. */
    public static boolean isCheckpoint(Map<String, String> metadata) {
        return metadata.containsKey(FORMAT_KEY);
    }

    public static Checkpoint read(Path file) throws IOException, DataFormatException {
        verifyHeader(file, SafetensorsFile.readHeaderBytes(file));
        SafetensorsFile.Contents contents = SafetensorsFile.read(file);
        MetadataFields meta = new MetadataFields(file, contents.metadata());
        if (!FORMAT.equals(meta.require(FORMAT_KEY))) {
            throw meta.error(FORMAT_KEY, "expected " + FORMAT + ", found '" + meta.require(FORMAT_KEY) + "'");
        }
        Map<String, Tensor> modelTensors = new LinkedHashMap<>();
        Map<String, Tensor> optimizerTensors = new LinkedHashMap<>();
        Map<String, Tensor> bestTensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> tensor : contents.tensors().entrySet()) {
            String expected = meta.require(TENSOR_CRC_PREFIX + tensor.getKey());
            String actual = hex(crc(tensor.getValue()));
            if (!actual.equals(expected)) {
                throw DataFormatException.at(file, "tensor '" + tensor.getKey() + "'", "checksum mismatch: the header records CRC32C "
                        + expected + ", the data has " + actual + " (a damaged file)");
            }
            String name = tensor.getKey();
            (name.startsWith(OPTIMIZER_PREFIX) ? optimizerTensors : name.startsWith(BEST_PREFIX) ? bestTensors : modelTensors)
                    .put(name, tensor.getValue());
        }
        SavedModel model = ModelFile.decode(file, modelTensors, contents.metadata());
        TrainingSettings settings = TrainingMetadata.read(meta);
        OptimizerState optimizer = optimizerState(file, meta, settings.optimizer().kind(), model.spec(), optimizerTensors);
        TrainingState state;
        try {
            state = new TrainingState(model.parameters(), optimizer, meta.count("state.epochs_done"), meta.count("state.step_in_epoch"),
                    meta.longInteger("state.step"), meta.finiteFloat("state.epoch_loss_sum"), meta.finiteFloat("state.epoch_correct"),
                    earlyStopping(file, meta, model.spec(), bestTensors));
        } catch (IllegalArgumentException e) {
            throw DataFormatException.at(file, "header entry '__metadata__'", e.getMessage());
        }
        return new Checkpoint(model, settings, state);
    }

    private static void verifyHeader(Path file, byte[] header) throws DataFormatException {
        int field = headerCrcPosition(header);
        if (field < 0) {
            throw DataFormatException.at(file, "byte 8", "header checksum missing or damaged: expected one " + HEADER_CRC_KEY
                    + " of 8 lower-case hex digits");
        }
        String recorded = new String(header, field, UNSTAMPED.length(), StandardCharsets.US_ASCII);
        byte[] restamped = header.clone();
        stampHeaderChecksum(restamped);
        String actual = new String(restamped, field, UNSTAMPED.length(), StandardCharsets.US_ASCII);
        if (!actual.equals(recorded)) {
            throw DataFormatException.at(file, "byte 0", "header checksum mismatch: the header records CRC32C " + recorded
                    + ", its bytes have " + actual + " (a damaged file)");
        }
    }

    /**
     * Where the 8 hex digits of the header checksum start, or −1 unless the field occurs exactly
     * once with 8 lower-case hex digits (as written, so a flipped case bit is a defect too) and a
     * closing quote.
     */
    private static int headerCrcPosition(byte[] header) {
        int found = -1;
        for (int i = 0; i + HEADER_CRC_FIELD.length + UNSTAMPED.length() < header.length; i++) {
            if (startsAt(header, i)) {
                if (found >= 0) {
                    return -1;
                }
                found = i + HEADER_CRC_FIELD.length;
            }
        }
        if (found < 0 || header[found + UNSTAMPED.length()] != '"') {
            return -1;
        }
        for (int i = found; i < found + UNSTAMPED.length(); i++) {
            boolean lowerHex = header[i] >= '0' && header[i] <= '9' || header[i] >= 'a' && header[i] <= 'f';
            if (!lowerHex) {
                return -1;
            }
        }
        return found;
    }

    private static boolean startsAt(byte[] bytes, int at) {
        for (int j = 0; j < HEADER_CRC_FIELD.length; j++) {
            if (bytes[at + j] != HEADER_CRC_FIELD[j]) {
                return false;
            }
        }
        return true;
    }

    /** The optimizer's matrices: exactly one per slot of its kind and parameter, each the parameter's shape and finite. */
    private static OptimizerState optimizerState(Path file, MetadataFields meta, OptimizerKind kind, NetworkSpec spec,
                                                 Map<String, Tensor> tensors) throws DataFormatException {
        Map<String, Tensor> remaining = new LinkedHashMap<>(tensors);
        int parameterCount = 2 * spec.layerCount();
        List<List<float[]>> slots = new ArrayList<>();
        for (String slot : kind.stateSlots()) {
            List<float[]> arrays = new ArrayList<>();
            for (int p = 0; p < parameterCount; p++) {
                arrays.add(take(file, remaining, optimizerTensorName(slot, p), parameterShape(spec, p), "the " + kind.id() + " optimizer"));
            }
            slots.add(arrays);
        }
        if (!remaining.isEmpty()) {
            throw DataFormatException.at(file, "header", "unexpected tensors " + remaining.keySet() + " for a " + kind.id() + " optimizer");
        }
        long updates = meta.longInteger("state.optimizer_updates");
        if (updates < 0) {
            throw meta.error("state.optimizer_updates", "expected a non-negative integer, found " + updates);
        }
        return new OptimizerState(kind, updates, slots);
    }

    /** The best epoch of a validating run: all of state.best_* and best.* tensors, or none of them. */
    private static EarlyStoppingState earlyStopping(Path file, MetadataFields meta, NetworkSpec spec, Map<String, Tensor> tensors)
            throws DataFormatException {
        if (!meta.values().containsKey("state.best_epoch")) {
            if (!tensors.isEmpty()) {
                throw DataFormatException.at(file, "header", "tensors " + tensors.keySet() + " without state.best_epoch");
            }
            return null;
        }
        Map<String, Tensor> remaining = new LinkedHashMap<>(tensors);
        List<float[]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        for (int p = 0; p < 2 * spec.layerCount(); p++) {
            float[] values = take(file, remaining, BEST_PREFIX + ModelFile.parameterName(p), parameterShape(spec, p), "the best epoch");
            (p % 2 == 0 ? weights : biases).add(values);
        }
        if (!remaining.isEmpty()) {
            throw DataFormatException.at(file, "header", "unexpected tensors " + remaining.keySet());
        }
        double loss;
        try {
            loss = Double.parseDouble(meta.require("state.best_validation_loss"));
        } catch (NumberFormatException e) {
            throw meta.error("state.best_validation_loss", "expected a number, found '" + meta.values().get("state.best_validation_loss") + "'");
        }
        try {
            return new EarlyStoppingState(meta.count("state.best_epoch"), loss, meta.count("state.epochs_without_improvement"),
                    new NetworkParameters(weights, biases));
        } catch (IllegalArgumentException e) {
            throw DataFormatException.at(file, "header entry '__metadata__.state.best_epoch'", e.getMessage());
        }
    }

    /** Removes tensor {@code name} from {@code remaining}: it must be there, of this shape, every value finite. */
    private static float[] take(Path file, Map<String, Tensor> remaining, String name, long[] expected, String owner)
            throws DataFormatException {
        Tensor tensor = remaining.remove(name);
        if (tensor == null) {
            throw DataFormatException.at(file, "header", "missing tensor '" + name + "' of " + owner);
        }
        if (!Arrays.equals(tensor.shape(), expected)) {
            throw DataFormatException.at(file, "header entry '" + name + "'", "expected shape "
                    + Arrays.toString(expected) + ", found " + Arrays.toString(tensor.shape()));
        }
        int bad = tensor.firstNonFinite();
        if (bad >= 0) {
            throw DataFormatException.at(file, "header entry '" + name + "'", "element " + bad + " is " + tensor.data()[bad]
                    + ", expected a finite number");
        }
        return tensor.data();
    }

    // ---- checksums ----------------------------------------------------------------------------

    /** CRC32C of the tensor's bytes as the file stores them (little-endian float32). */
    private static long crc(Tensor tensor) {
        CRC32C crc = new CRC32C();
        try (OutputStream sink = new CheckedOutputStream(OutputStream.nullOutputStream(), crc)) {
            SafetensorsFile.writeData(sink, List.of(tensor));
        } catch (IOException e) {
            throw new UncheckedIOException("a null stream failed", e);
        }
        return crc.getValue();
    }

    private static String hex(long crc) {
        return HEX.toHexDigits((int) crc);
    }
}
