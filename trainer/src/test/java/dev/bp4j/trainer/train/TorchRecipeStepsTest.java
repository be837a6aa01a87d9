package dev.bp4j.trainer.train;

import com.google.gson.Gson;
import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.nn.BatchWorkspace;
import dev.bp4j.trainer.nn.Dropout;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.Network;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each recipe feature against PyTorch autograd, torch.optim and torch.optim.lr_scheduler in
 * float64, on every backend: a few steps of a 5-6-6-3 network on a batch of 8 from the same
 * float32 starting point (torch-recipe-steps.json, written by
 * trainer/src/test/python/torch_recipe_steps.py). Weight decay (L2 and AdamW), clipping by global
 * norm and the three schedules with warm-up go through the {@link Trainer} itself, resumed from a
 * state at step 0 with those parameters, one full-batch step per epoch; dropout cases (hidden and
 * input) through the trainer's own {@link Network} passes with a fixed dropout key (the Trainer derives its key from
 * the seed), whose masks the generator computes from the same Philox definition independently.
 *
 * <p>The learning rates must agree with PyTorch's schedulers to 1e-12. The parameters agree to
 * float32 rounding propagated through a few steps: |bp4j − torch| ≤ 2e-6 + 2e-5·|torch|.
 */
class TorchRecipeStepsTest {

    private static final double ABSOLUTE = 2e-6;
    private static final double RELATIVE = 2e-5;

    /** One case of the resource, as the generator writes it. */
    record Case(String name, int[] widths, int batch, String activation, String optimizer, float learning_rate, float weight_decay,
                float clip_norm, String schedule, int warmup_steps, int step_epochs, float gamma, int steps, float dropout,
                float input_dropout, long dropout_seed, double[][] initial_weights, double[][] initial_biases, double[] features, double[] targets,
                double[] rates, double[][] expected_weights, double[][] expected_biases) {

        @Override
        public String toString() {
            return name;
        }
    }

    record Cases(List<Case> cases) {
    }

    static Stream<Arguments> everyBackendAndCase() {
        Cases cases;
        try (Reader in = new InputStreamReader(TorchRecipeStepsTest.class.getResourceAsStream("torch-recipe-steps.json"),
                StandardCharsets.UTF_8)) {
            cases = new Gson().fromJson(in, Cases.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<Arguments> all = new ArrayList<>();
        for (String backend : Backends.names()) {
            for (Case c : cases.cases()) {
                all.add(Arguments.of(backend, c));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyBackendAndCase")
    void matchesPyTorchInFloat64(String backendName, Case c) {
        NetworkSpec spec = NetworkSpec.of(c.widths(), Activation.fromId(c.activation()), LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        OptimizerSettings optimizer = OptimizerSettings.of(OptimizerKind.fromId(c.optimizer()), c.learning_rate());
        LearningRateSchedule schedule = new LearningRateSchedule(LearningRateSchedule.Kind.fromId(c.schedule()), c.warmup_steps(),
                c.step_epochs(), c.gamma());
        for (int t = 0; t < c.steps(); t++) {
            double rate = schedule.rate(c.learning_rate(), t, 1, c.steps());
            assertEquals(c.rates()[t], rate, 1e-12 * c.rates()[t], c.name() + ": the learning rate of step " + (t + 1));
        }
        TrainingRecipe recipe = TrainingRecipe.NONE.withWeightDecay(c.weight_decay(), false).withClipNorm(c.clip_norm())
                .withSchedule(schedule).withDropout(c.dropout()).withInputDropout(c.input_dropout());
        try (Backend backend = EveryBackendTrainingTest.openOrSkip(backendName)) {
            NetworkParameters trained = c.dropout() > 0 || c.input_dropout() > 0
                    ? stepsWithFixedDropoutKey(backend, spec, optimizer, recipe, c)
                    : stepsThroughTheTrainer(backend, spec, new TrainingSettings(c.steps(), c.batch(), 1, optimizer, recipe), c);
            for (int l = 0; l < spec.layerCount(); l++) {
                assertClose(backendName + ", " + c.name() + ": weights of layer " + l, c.expected_weights()[l], trained.weights().get(l));
                assertClose(backendName + ", " + c.name() + ": bias of layer " + l, c.expected_biases()[l], trained.biases().get(l));
            }
        }
    }

    private static NetworkParameters stepsThroughTheTrainer(Backend backend, NetworkSpec spec, TrainingSettings settings, Case c) {
        Dataset batch = new Dataset("torch batch", c.batch(), spec.inputs(), spec.outputs(), floats(c.features()), floats(c.targets()));
        float[] zeros = new float[spec.inputs()];
        float[] ones = new float[spec.inputs()];
        Arrays.fill(ones, 1f);
        DataSplit data = new DataSplit("torch batch", batch, batch, new FeatureScaling("none", zeros, ones), true);
        OptimizerKind kind = settings.optimizer().kind();
        List<List<float[]>> slots = new ArrayList<>();
        for (int s = 0; s < kind.stateSlots().size(); s++) {
            List<float[]> slot = new ArrayList<>();
            for (int l = 0; l < spec.layerCount(); l++) {
                slot.add(new float[c.initial_weights()[l].length]);
                slot.add(new float[c.initial_biases()[l].length]);
            }
            slots.add(slot);
        }
        TrainingState start = new TrainingState(initial(c), new OptimizerState(kind, 0, slots), 0, 0, 0, 0f, 0f);
        try (Trainer trainer = Trainer.resume(backend, spec, data, settings, start)) {
            trainer.train(new TrainingListener() { });
            return trainer.network().download();
        }
    }

    /** The trainer's step with dropout, as Trainer.step runs it, but under the generator's dropout key. */
    private static NetworkParameters stepsWithFixedDropoutKey(Backend backend, NetworkSpec spec, OptimizerSettings settings,
                                                              TrainingRecipe recipe, Case c) {
        Dropout dropout = new Dropout(c.dropout(), c.input_dropout(), c.dropout_seed());
        try (Network network = new Network(backend, spec, initial(c));
             BatchWorkspace ws = new BatchWorkspace(backend, spec, c.batch(), dropout);
             Optimizer optimizer = Optimizer.open(backend, settings, network.parameters(), recipe.weightDecay(), false);
             GradientClipping clipping = new GradientClipping(backend, network.parameters(),
                     recipe.clipNorm() > 0 ? recipe.clipNorm() : Float.MAX_VALUE)) {
            backend.upload(floats(c.features()), ws.input());
            backend.upload(floats(c.targets()), ws.targets());
            for (int step = 1; step <= c.steps(); step++) {
                network.forward(ws, dropout, step);
                spec.loss().lossAndOutputDelta(backend, spec.outputActivation(), ws.output(), ws.targets(), 1f / c.batch(),
                        ws.outputDelta(), ws.rowLoss());
                network.backward(ws, dropout, step);
                if (recipe.clipNorm() > 0) {
                    clipping.apply();
                }
                optimizer.step((float) recipe.schedule().rate(settings.learningRate(), step - 1, 1, c.steps()));
            }
            return network.download();
        }
    }

    private static NetworkParameters initial(Case c) {
        List<float[]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        for (int l = 0; l < c.initial_weights().length; l++) {
            weights.add(floats(c.initial_weights()[l]));
            biases.add(floats(c.initial_biases()[l]));
        }
        return new NetworkParameters(weights, biases);
    }

    private static float[] floats(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }

    private static void assertClose(String what, double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": size");
        for (int i = 0; i < expected.length; i++) {
            double allowed = ABSOLUTE + RELATIVE * Math.abs(expected[i]);
            if (!(Math.abs(actual[i] - expected[i]) <= allowed)) {
                fail(String.format(Locale.ROOT, "%s: element %d is %.9g, PyTorch float64 %.9g (allowed ± %.2g)", what, i, actual[i],
                        expected[i], allowed));
            }
        }
    }
}
