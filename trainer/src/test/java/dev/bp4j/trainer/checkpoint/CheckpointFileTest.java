package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.model.ModelFile;
import dev.bp4j.trainer.model.SafetensorsFile;
import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.model.Tensor;
import dev.bp4j.trainer.train.OptimizerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class CheckpointFileTest {

    @TempDir
    Path folder;

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void everythingWrittenIsReadBackBitForBit(OptimizerKind kind) throws Exception {
        Checkpoint written = SampleCheckpoints.at(23, kind);
        Path file = folder.resolve("c.safetensors");
        CheckpointFile.write(file, written);
        SampleCheckpoints.assertSame(written, CheckpointFile.read(file));
    }

    @Test
    void aCheckpointIsAlsoAModelForEvalAndPython() throws Exception {
        Checkpoint written = SampleCheckpoints.at(5, OptimizerKind.ADAM);
        Path file = folder.resolve("c.safetensors");
        CheckpointFile.write(file, written);
        SavedModel model = TrainedModels.load(file, message -> fail("no warning expected: " + message));
        assertArrayEquals(written.model().parameters().weights().get(1), model.parameters().weights().get(1));
        SafetensorsFile.Contents contents = SafetensorsFile.read(file);
        assertArrayEquals(new long[] {5, 3}, contents.tensors().get("optimizer.first_moment.layers.0.weight").shape());
        assertEquals(ModelFile.FORMAT, contents.metadata().get("format"));
        assertTrue(contents.metadata().get(CheckpointFile.HEADER_CRC_KEY).matches("[0-9a-f]{8}"));
    }

    /**
     * Every byte of the file is covered by a checksum or a structural check: no flip goes
     * unnoticed. Every third byte, each flipped at a different bit, keeps the test quick.
     */
    @Test
    void flippingAByteAnywhereIsDetected() throws Exception {
        Path file = folder.resolve("c.safetensors");
        CheckpointFile.write(file, SampleCheckpoints.at(3, OptimizerKind.MOMENTUM));
        byte[] good = Files.readAllBytes(file);
        Path damaged = folder.resolve("damaged.safetensors");
        int byChecksum = 0;
        int flips = 0;
        for (int i = 0; i < good.length; i += 3, flips++) {
            byte[] bytes = good.clone();
            bytes[i] ^= (byte) (1 << (flips % 8));
            Files.write(damaged, bytes);
            DataFormatException e = assertThrows(DataFormatException.class, () -> CheckpointFile.read(damaged), "byte " + i);
            assertTrue(e.getMessage().startsWith(damaged + ":"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            if (e.getMessage().contains("checksum")) {
                byChecksum++;
            }
        }
        // Only flips in the length prefix fail before the checksum is looked at.
        assertTrue(byChecksum >= flips - 3, byChecksum + " of " + flips + " flips reported as checksum mismatches");
    }

    @Test
    void everyTruncationIsDetected() throws Exception {
        Path file = folder.resolve("c.safetensors");
        CheckpointFile.write(file, SampleCheckpoints.at(4, OptimizerKind.ADAM));
        byte[] good = Files.readAllBytes(file);
        Path truncated = folder.resolve("truncated.safetensors");
        for (int length = 0; length < good.length; length += 1 + length / 64) {
            Files.write(truncated, Arrays.copyOf(good, length));
            assertThrows(DataFormatException.class, () -> CheckpointFile.read(truncated), "length " + length);
        }
    }

    @Test
    void aStateWithANanOrAnInfinityIsNeverWritten() {
        Checkpoint diverged = SampleCheckpoints.at(8, OptimizerKind.ADAM);
        diverged.state().optimizer().slots().get(1).get(2)[3] = Float.POSITIVE_INFINITY;
        Path file = folder.resolve("c.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointFile.write(file, diverged));
        assertTrue(e.getMessage().contains("optimizer.second_moment.layers.1.weight"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    /** A file rewritten with consistent checksums but a mismatching optimizer part still fails, naming the tensor. */
    @Test
    void optimizerTensorsMustMatchTheOptimizerAndTheArchitecture() throws Exception {
        Path file = folder.resolve("c.safetensors");
        CheckpointFile.write(file, SampleCheckpoints.at(6, OptimizerKind.MOMENTUM));
        SafetensorsFile.Contents contents = SafetensorsFile.read(file);

        Map<String, String> asAdam = new LinkedHashMap<>(contents.metadata());
        asAdam.put("training.optimizer", "adam");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CheckpointFile.read(rewritten(contents.tensors(), asAdam)));
        assertTrue(e.getMessage().contains("optimizer.first_moment.layers.0.weight"), e.getMessage());

        Map<String, Tensor> reshaped = new LinkedHashMap<>(contents.tensors());
        reshaped.put("optimizer.velocity.layers.1.bias", Tensor.matrix(1, 2, new float[2]));
        e = assertThrows(DataFormatException.class, () -> CheckpointFile.read(rewritten(reshaped, contents.metadata())));
        assertTrue(e.getMessage().contains("'optimizer.velocity.layers.1.bias'") && e.getMessage().contains("shape"), e.getMessage());

        Map<String, String> negative = new LinkedHashMap<>(contents.metadata());
        negative.put("state.step_in_epoch", "-1");
        e = assertThrows(DataFormatException.class, () -> CheckpointFile.read(rewritten(contents.tensors(), negative)));
        assertTrue(e.getMessage().contains("state.step_in_epoch"), e.getMessage());
    }

    /** Writes a checkpoint-like file with fresh, correct checksums, so only the content is wrong. */
    private Path rewritten(Map<String, Tensor> tensors, Map<String, String> metadata) throws Exception {
        return Files.write(Files.createTempFile(folder, "rewritten", ".safetensors"), SampleCheckpoints.fileBytes(tensors, metadata));
    }
}
