package dev.bp4j.trainer.train;

/**
 * One epoch of a run.
 *
 * @param trainLoss         mean loss over the epoch's training samples, as each batch saw them
 * @param trainAccuracy     share of training samples classified right during the epoch (NaN for regression)
 * @param test              the evaluation after the epoch
 * @param seconds           the epoch's step loop, evaluation excluded
 * @param samplesPerSecond  training samples / seconds
 * @param kernelLaunches    backend operations the step loop started (shuffle upload and reads included)
 * @param transfers         host↔device transfers of the step loop, both directions
 * @param validation        the evaluation on the validation part after the epoch; null without one
 * @param learningRate      the rate of the epoch's last step
 */
public record EpochSummary(int epoch, int steps, double trainLoss, double trainAccuracy, Evaluation test,
                           double seconds, double samplesPerSecond, long kernelLaunches, long transfers,
                           Evaluation validation, double learningRate) {

    public boolean validated() {
        return validation != null;
    }
}
