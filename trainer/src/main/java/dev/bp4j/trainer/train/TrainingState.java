package dev.bp4j.trainer.train;

import dev.bp4j.trainer.nn.NetworkParameters;

/**
 * Everything a run needs to go on exactly where it stopped, copied to the host: the parameters,
 * the optimizer's state and the position. The shuffle of epoch e depends only on the seed and e
 * (see {@link Trainer}), so the position is also the whole random state and data order.
 *
 * @param epochsDone   epochs finished (and evaluated)
 * @param stepInEpoch  steps already taken in epoch {@code epochsDone + 1}; 0 at an epoch's start
 * @param step         steps taken in all
 * @param epochLossSum the running sum of per-sample losses over the steps taken in the current epoch
 * @param epochCorrect the running count of correctly classified samples in the current epoch
 * @param earlyStopping the best epoch so far of a run with a validation part that has finished
 *                      an epoch; null otherwise
 */
public record TrainingState(NetworkParameters parameters, OptimizerState optimizer, int epochsDone, int stepInEpoch, long step,
                            float epochLossSum, float epochCorrect, EarlyStoppingState earlyStopping) {

    /** The state of a run without a validation part, or before its first epoch ends. */
    public TrainingState(NetworkParameters parameters, OptimizerState optimizer, int epochsDone, int stepInEpoch, long step,
                         float epochLossSum, float epochCorrect) {
        this(parameters, optimizer, epochsDone, stepInEpoch, step, epochLossSum, epochCorrect, null);
    }

    public TrainingState {
        if (epochsDone < 0 || stepInEpoch < 0 || step < 0) {
            throw new IllegalArgumentException("negative position: epoch " + epochsDone + ", step " + stepInEpoch + " of it, step "
                    + step + " in all");
        }
        if (!Float.isFinite(epochLossSum) || !Float.isFinite(epochCorrect)) {
            throw new IllegalArgumentException("non-finite running sums: loss " + epochLossSum + ", correct " + epochCorrect);
        }
    }
}
