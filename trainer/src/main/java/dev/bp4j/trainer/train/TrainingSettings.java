package dev.bp4j.trainer.train;

/**
 * How long and how to train.
 *
 * @param epochs    passes over the training set
 * @param batchSize samples per step (clamped to the training set size); the last step of an
 *                  epoch takes the remainder
 * @param seed      seeds the initial weights and the shuffles, so equal seeds give equal runs
 */
public record TrainingSettings(int epochs, int batchSize, long seed, OptimizerSettings optimizer) {

    public TrainingSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
        }
    }
}
