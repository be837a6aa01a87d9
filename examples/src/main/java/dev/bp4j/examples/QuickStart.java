package dev.bp4j.examples;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.Trainer;
import dev.bp4j.trainer.train.TrainingListener;
import dev.bp4j.trainer.train.TrainingResult;
import dev.bp4j.trainer.train.TrainingSettings;

/** README's first library example: train a 64-64-10 network on the embedded digits data. */
public final class QuickStart {

    public static void main(String[] args) throws Exception {
        try (Backend backend = Backends.open("auto")) {
            DataSplit data = DataSources.load(DataRequest.of("digits"));
            NetworkSpec spec = NetworkSpec.of(new int[] {64, 64, 10}, Activation.SIGMOID,
                    LossFunction.SOFTMAX_CROSS_ENTROPY, true);
            TrainingSettings settings = new TrainingSettings(30, 32, 1,
                    OptimizerSettings.of(OptimizerKind.ADAM, 0.003f));
            try (Trainer trainer = new Trainer(backend, spec, data, settings)) {
                TrainingResult result = trainer.train(new TrainingListener() { });
                System.out.printf("test accuracy %.4f on %s%n", result.finalTest().accuracy(), backend.name());
            }
        }
    }

    private QuickStart() {
    }
}
