package dev.bp4j.trainer.train;

/**
 * How long and how to train.
 *
 * @param epochs    passes over the training set
 * @param batchSize samples per step (clamped to the training set size); the last step of an
 *                  epoch takes the remainder
 * @param seed      seeds the initial weights, the shuffles, the dropout masks and the validation
 *                  split, so equal seeds give equal runs
 * @param recipe    weight decay, dropout, schedule, clipping, validation and early stopping
 */
public record TrainingSettings(int epochs, int batchSize, long seed, OptimizerSettings optimizer, TrainingRecipe recipe) {

    /** Plain training: {@link TrainingRecipe#NONE}. */
    public TrainingSettings(int epochs, int batchSize, long seed, OptimizerSettings optimizer) {
        this(epochs, batchSize, seed, optimizer, TrainingRecipe.NONE);
    }

    public TrainingSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
        }
    }
}
