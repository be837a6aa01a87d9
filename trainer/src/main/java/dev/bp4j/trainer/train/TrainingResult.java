package dev.bp4j.trainer.train;

import java.util.List;

/**
 * A finished run, or one stopped early by {@link Trainer#requestStop}.
 *
 * @param epochs                the epochs completed by this call (none when a resumed run had already finished them all)
 * @param trainSeconds          the step loops of all epochs, evaluation excluded
 * @param samplesPerSecond      training samples processed / trainSeconds
 * @param finalTest             the test evaluation of the model the run ends with: the chosen epoch's
 * @param kernelLaunchesPerStep backend operations of one full-batch step, measured on one step
 * @param transfersPerStep      host↔device transfers of that step (0 when nothing is read back)
 * @param steps                 steps done over the whole run, those of an earlier process that this one resumed included
 * @param interrupted           true when {@link Trainer#requestStop} ended the run before its last epoch
 * @param chosenEpoch           the epoch whose parameters the network holds at the end: the one with
 *                              the lowest validation loss when the run validates, else the last
 * @param stoppedEarly          true when early stopping ended the run before its last epoch
 */
public record TrainingResult(List<EpochSummary> epochs, double trainSeconds, double samplesPerSecond, Evaluation finalTest,
                             long kernelLaunchesPerStep, long transfersPerStep, long steps, boolean interrupted, int chosenEpoch,
                             boolean stoppedEarly) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }
}
