package dev.bp4j.trainer.train;

import java.util.List;

/**
 * A finished run.
 *
 * @param trainSeconds          the step loops of all epochs, evaluation excluded
 * @param samplesPerSecond      training samples processed / trainSeconds
 * @param finalTest             the test evaluation of the model the run ends with: the chosen epoch's
 * @param kernelLaunchesPerStep backend operations of one full-batch step, measured on one step
 * @param transfersPerStep      host↔device transfers of that step (0 when nothing is read back)
 * @param chosenEpoch           the epoch whose parameters the network holds at the end: the one with
 *                              the lowest validation loss when the run validates, else the last
 * @param stoppedEarly          true when early stopping ended the run before its last epoch
 */
public record TrainingResult(List<EpochSummary> epochs, double trainSeconds, double samplesPerSecond, Evaluation finalTest,
                             long kernelLaunchesPerStep, long transfersPerStep, int chosenEpoch, boolean stoppedEarly) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }
}
