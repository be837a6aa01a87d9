package dev.bp4j.trainer.train;

/**
 * The loss or a gradient became NaN or infinite: the run stopped, and no checkpoint holds the
 * non-finite values. The message names the step and the layers (0 = the first hidden layer,
 * as in the model file's {@code layers.<l>} tensors).
 */
public final class TrainingDivergedException extends RuntimeException {

    private final long step;
    private final int layer;

    TrainingDivergedException(String message, long step, int layer) {
        super(message);
        this.step = step;
        this.layer = layer;
    }

    /** The step (counted from 1 over the whole run) at which the check saw it. */
    public long step() {
        return step;
    }

    /** The layer nearest the output whose gradient was non-finite, or −1 when only the loss was. */
    public int layer() {
        return layer;
    }
}
