package dev.bp4j.trainer.train;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.Network;
import dev.bp4j.trainer.nn.NetworkSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The trainer on every backend registered on the test class path (reference always; cpu and
 * opencl when their modules are there). A backend that cannot run here is skipped loudly,
 * except under CI=true, where that is a failure.
 */
class EveryBackendTrainingTest {

    static List<String> backends() {
        return Backends.names();
    }

    /** Each backend plain and with the recipe: dropout (hidden and input), clipping, weight decay, a schedule and a validation part. */
    static Stream<Arguments> backendsWithAndWithoutRecipe() {
        TrainingRecipe recipe = TrainingRecipe.NONE.withDropout(0.2f).withInputDropout(0.1f).withClipNorm(1f).withWeightDecay(0.01f, false)
                .withSchedule(new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 10, 1, 1f)).withValidation(0.2, 0);
        return backends().stream().flatMap(name -> Stream.of(Arguments.of(name, TrainingRecipe.NONE), Arguments.of(name, recipe)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsWithAndWithoutRecipe")
    void trainsToHighAccuracyAndEvaluatesReproducibly(String name, TrainingRecipe recipe) {
        try (Backend backend = openOrSkip(name)) {
            NetworkSpec spec = NetworkSpec.of(new int[] {2, 16, 8, 4}, Activation.RELU, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
            DataSplit data = SyntheticData.blobs(4, 150, 50, 17);
            try (Trainer trainer = new Trainer(backend, spec, data,
                    new TrainingSettings(10, 32, 5, OptimizerSettings.of(OptimizerKind.ADAM, 0.01f), recipe))) {
                TrainingResult result = trainer.train(new TrainingListener() { });
                assertTrue(result.finalTest().accuracy() >= 0.95, name + ": test accuracy " + result.finalTest().accuracy());
                assertEquals(0, result.transfersPerStep(), name + ": nothing crosses host and device inside a step");

                // A network rebuilt from the downloaded parameters scores exactly what training reported.
                try (Network copy = new Network(backend, spec, trainer.network().download());
                     DeviceDataset test = new DeviceDataset(backend, data.test());
                     Evaluator evaluator = new Evaluator(backend, spec, true)) {
                    assertEquals(result.finalTest(), evaluator.evaluate(copy, test));
                }
            }
        }
    }

    static Backend openOrSkip(String name) {
        BackendProvider provider = Backends.providers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        Optional<String> unavailable = provider.unavailableReason(BackendOptions.DEFAULT, false);
        if (unavailable.isPresent()) {
            String message = "backend " + name + " unavailable here: " + unavailable.get();
            if ("true".equals(System.getenv("CI"))) {
                fail(message + " (CI=true: every backend must run)");
            }
            System.err.println("SKIPPED " + message);
            Assumptions.abort(message);
        }
        return Backends.open(name, new BackendOptions(0, null, true), message -> { });
    }
}
