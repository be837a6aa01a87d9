package dev.bp4j.trainer.nn;

import dev.bp4j.api.DropoutMask;

/**
 * Inverted dropout on the output of every hidden layer during training: each step and layer
 * gets its own {@link DropoutMask} stream, step·layers + layer, under the run's dropout seed,
 * so the masks of a run depend only on the seed and the step and are generated on the device.
 *
 * @param rate the probability of dropping a unit, in (0, 1)
 * @param seed the run's dropout key
 */
public record Dropout(float rate, long seed) {

    public Dropout {
        if (!(rate > 0 && rate < 1)) {
            throw new IllegalArgumentException("the dropout rate must lie in (0, 1), got " + rate);
        }
    }

    /** The mask of hidden layer {@code layer} at step {@code step} (1 for the first) of a network of {@code layers} layers. */
    public DropoutMask mask(long step, int layers, int layer) {
        return new DropoutMask(rate, seed, step * layers + layer);
    }
}
