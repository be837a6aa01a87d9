package dev.bp4j.trainer.checkpoint;

import dev.bp4j.api.Activation;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.model.SafetensorsFile;
import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.model.Tensor;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.OptimizerState;
import dev.bp4j.trainer.train.TrainingSettings;
import dev.bp4j.trainer.train.TrainingState;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Small checkpoints with every field set to something recognisable, and a deep comparison. */
final class SampleCheckpoints {

    static final NetworkSpec SPEC = new NetworkSpec(new int[] {3, 5, 2}, Activation.TANH, Activation.IDENTITY,
            LossFunction.SOFTMAX_CROSS_ENTROPY);

    private SampleCheckpoints() {
    }

    /** A checkpoint at {@code step} whose values all derive from the step, for an optimizer of {@code kind}. */
    static Checkpoint at(long step, OptimizerKind kind) {
        SplittableRandom random = new SplittableRandom(step);
        NetworkParameters parameters = NetworkParameters.initialise(SPEC, random);
        parameters.biases().get(1)[0] = -0.125f;
        List<List<float[]>> slots = new ArrayList<>();
        for (String ignored : kind.stateSlots()) {
            List<float[]> arrays = new ArrayList<>();
            for (int l = 0; l < SPEC.layerCount(); l++) {
                arrays.add(randomArray(random, parameters.weights().get(l).length));
                arrays.add(randomArray(random, parameters.biases().get(l).length));
            }
            slots.add(arrays);
        }
        SavedModel model = new SavedModel(SPEC, parameters,
                new FeatureScaling(FeatureScaling.STANDARD, new float[] {1, 2, 3}, new float[] {0.5f, 0.25f, 2}),
                new DataRequest("/data/train.csv", 3, 0.25, 11, "standard"), true, "0.1.0-test");
        TrainingSettings settings = new TrainingSettings(9, 4, 42, new OptimizerSettings(kind, 0.0123f, 0.85f, 0.8f, 0.99f, 1e-7f));
        TrainingState state = new TrainingState(parameters, new OptimizerState(kind, kind == OptimizerKind.ADAM ? step : 0, slots),
                (int) (step / 7), (int) (step % 7), step, 3.25f + step, 17f);
        return new Checkpoint(model, settings, state);
    }

    /**
     * A file's bytes for these tensors and metadata: with checkpoint checksums when the metadata
     * marks a checkpoint, else as a plain model file. Built in memory, checking nothing.
     */
    static byte[] fileBytes(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(CheckpointFile.isCheckpoint(metadata)
                ? CheckpointFile.checksummedHeader(tensors, metadata)
                : SafetensorsFile.encodeHeader(tensors, metadata));
        SafetensorsFile.writeData(out, tensors.values());
        return out.toByteArray();
    }

    private static float[] randomArray(SplittableRandom random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    static void assertSame(Checkpoint expected, Checkpoint actual) {
        assertEquals(expected.model().spec(), actual.model().spec());
        assertEquals(expected.model().data(), actual.model().data());
        assertEquals(expected.model().classification(), actual.model().classification());
        assertEquals(expected.model().version(), actual.model().version());
        assertArrayEquals(expected.model().scaling().offset(), actual.model().scaling().offset());
        assertArrayEquals(expected.model().scaling().scale(), actual.model().scaling().scale());
        assertEquals(expected.settings(), actual.settings());
        TrainingState e = expected.state();
        TrainingState a = actual.state();
        for (int l = 0; l < e.parameters().layerCount(); l++) {
            assertArrayEquals(e.parameters().weights().get(l), a.parameters().weights().get(l));
            assertArrayEquals(e.parameters().biases().get(l), a.parameters().biases().get(l));
        }
        assertEquals(e.optimizer().kind(), a.optimizer().kind());
        assertEquals(e.optimizer().updates(), a.optimizer().updates());
        assertEquals(e.optimizer().slots().size(), a.optimizer().slots().size());
        for (int s = 0; s < e.optimizer().slots().size(); s++) {
            for (int p = 0; p < e.optimizer().slots().get(s).size(); p++) {
                assertArrayEquals(e.optimizer().slots().get(s).get(p), a.optimizer().slots().get(s).get(p));
            }
        }
        assertEquals(e.epochsDone(), a.epochsDone());
        assertEquals(e.stepInEpoch(), a.stepInEpoch());
        assertEquals(e.step(), a.step());
        assertEquals(Float.floatToRawIntBits(e.epochLossSum()), Float.floatToRawIntBits(a.epochLossSum()));
        assertEquals(Float.floatToRawIntBits(e.epochCorrect()), Float.floatToRawIntBits(a.epochCorrect()));
    }
}
