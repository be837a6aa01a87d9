package dev.bp4j.trainer.train;

import java.util.List;

/**
 * A finished run.
 *
 * @param trainSeconds          the step loops of all epochs, evaluation excluded
 * @param samplesPerSecond      training samples processed / trainSeconds
 * @param finalTest             the evaluation after the last epoch
 * @param kernelLaunchesPerStep backend operations of one full-batch step, measured on one step
 * @param transfersPerStep      host↔device transfers of that step (0 when nothing is read back)
 */
public record TrainingResult(List<EpochSummary> epochs, double trainSeconds, double samplesPerSecond, Evaluation finalTest,
                             long kernelLaunchesPerStep, long transfersPerStep) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }
}
