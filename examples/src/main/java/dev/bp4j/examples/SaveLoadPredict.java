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

import java.nio.file.Path;
import java.util.Arrays;

/**
 * README's second library example: train, save the model, load it back in a fresh network and
 * predict classes for raw (unscaled) feature rows. Usage: {@code SaveLoadPredict MODEL.safetensors}.
 */
public final class SaveLoadPredict {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "digits.safetensors");
        DataRequest request = DataRequest.of("digits");
        try (Backend backend = Backends.open("auto")) {
            DataSplit data = DataSources.load(request);
            NetworkSpec spec = NetworkSpec.of(new int[] {64, 32, 10}, Activation.RELU,
                    LossFunction.SOFTMAX_CROSS_ENTROPY, true);
            TrainingSettings settings = new TrainingSettings(20, 32, 7,
                    OptimizerSettings.of(OptimizerKind.ADAM, 0.003f));
            try (Trainer trainer = new Trainer(backend, spec, data, settings)) {
                trainer.train(new TrainingListener() { });
                // The file keeps the feature scaling fitted on the training part, so a reader
                // can feed raw features.
                ModelFile.save(file, new SavedModel(spec, trainer.network().download(), data.scaling(),
                        request, data.classification(), BuildInfo.version()));
            }

            SavedModel model = ModelFile.load(file);
            float[] rows = Arrays.copyOf(rawTestFeatures(request), 5 * model.spec().inputs());
            model.scaling().applyInPlace(rows);
            try (Network network = new Network(backend, model.spec(), model.parameters());
                 Predictor predictor = new Predictor(backend, network)) {
                System.out.println("predicted classes " + Arrays.toString(predictor.classes(rows)));
            }
        }
    }

    /** The test part's features as they are in the source, before scaling. */
    private static float[] rawTestFeatures(DataRequest request) throws Exception {
        DataRequest unscaled = new DataRequest(request.source(), request.labelColumn(), request.testFraction(),
                request.seed(), "none");
        return DataSources.load(unscaled).test().features();
    }

    private SaveLoadPredict() {
    }
}
