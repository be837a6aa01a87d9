package dev.bp4j.trainer.train;

import dev.bp4j.trainer.nn.NetworkParameters;

/**
 * What a validating run remembers between epochs, copied to the host for a checkpoint: the best
 * epoch so far, its validation loss and parameters, and the epochs since, so a resumed run
 * chooses and stops exactly as an uninterrupted one.
 */
public record EarlyStoppingState(int bestEpoch, double bestLoss, int epochsWithoutImprovement, NetworkParameters bestParameters) {

    public EarlyStoppingState {
        if (bestEpoch < 1 || epochsWithoutImprovement < 0 || !Double.isFinite(bestLoss)) {
            throw new IllegalArgumentException("best epoch " + bestEpoch + " (validation loss " + bestLoss + "), "
                    + epochsWithoutImprovement + " epochs since");
        }
    }
}
