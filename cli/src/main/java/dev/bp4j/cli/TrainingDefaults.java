package dev.bp4j.cli;

import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.train.OptimizerKind;

/**
 * What {@code bp4j train} uses for the options left out, per data source, chosen so that the
 * bare commands reach their targets in seconds: digits ≥ 0.95 test accuracy, xor 1.0,
 * fashion-mnist ≥ 0.85 in five epochs.
 *
 * @param hiddenWidth the one hidden layer's width when --layers is left out
 */
record TrainingDefaults(int epochs, int batch, OptimizerKind optimizer, int hiddenWidth) {

    static TrainingDefaults forSource(String source) {
        return switch (source) {
            case DataSources.XOR -> new TrainingDefaults(2000, 4, OptimizerKind.MOMENTUM, 2);
            case DataSources.DIGITS -> new TrainingDefaults(30, 32, OptimizerKind.ADAM, 64);
            case DataSources.FASHION_MNIST -> new TrainingDefaults(10, 64, OptimizerKind.ADAM, 64);
            default -> new TrainingDefaults(20, 32, OptimizerKind.ADAM, 64);
        };
    }

    /** The learning rate for an optimizer on this source when --lr is left out: xor's four points take larger steps. */
    static float learningRate(String source, OptimizerKind optimizer) {
        if (!source.equals(DataSources.XOR)) {
            return optimizer.defaultLearningRate();
        }
        return switch (optimizer) {
            case SGD -> 2f;
            case MOMENTUM -> 0.5f;
            case ADAM -> 0.1f;
        };
    }
}
