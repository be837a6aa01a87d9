package dev.bp4j.trainer.nn;

import dev.bp4j.api.DropoutMask;

/**
 * Inverted dropout during training, on the output of every hidden layer and on the input
 * features, each at its own rate: each step and layer gets its own {@link DropoutMask} stream,
 * step·layers + layer, under the run's dropout seed, so the masks of a run depend only on the
 * seed and the step and are generated on the device. The output layer is never dropped, so its
 * slot, layers − 1, serves the input.
 *
 * @param rate      the probability of dropping a hidden unit, in [0, 1)
 * @param inputRate the probability of dropping an input feature, in [0, 1)
 * @param seed      the run's dropout key
 */
public record Dropout(float rate, float inputRate, long seed) {

    public Dropout {
        if (!(rate >= 0 && rate < 1) || !(inputRate >= 0 && inputRate < 1) || rate + inputRate == 0) {
            throw new IllegalArgumentException("the dropout rates must lie in [0, 1), not both 0, got " + rate + " and " + inputRate);
        }
    }

    /** Hidden-layer dropout only. */
    public Dropout(float rate, long seed) {
        this(rate, 0f, seed);
    }

    public boolean dropsHidden() {
        return rate > 0;
    }

    public boolean dropsInput() {
        return inputRate > 0;
    }

    /** The mask of hidden layer {@code layer} at step {@code step} (1 for the first) of a network of {@code layers} layers. */
    public DropoutMask mask(long step, int layers, int layer) {
        return new DropoutMask(rate, seed, step * layers + layer);
    }

    /** The mask of the input features at step {@code step} of a network of {@code layers} layers. */
    public DropoutMask inputMask(long step, int layers) {
        return new DropoutMask(inputRate, seed, step * layers + layers - 1);
    }
}
