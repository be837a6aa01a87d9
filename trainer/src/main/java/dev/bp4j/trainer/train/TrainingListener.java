package dev.bp4j.trainer.train;

/** What a training run reports while it runs. Every method has a do-nothing default. */
public interface TrainingListener {

    /**
     * How often, in steps, the run should read the running loss back and call
     * {@link #progress}; 0 means never. Each read waits for the device, so quiet runs say 0.
     */
    default int progressEverySteps(int stepsPerEpoch) {
        return 0;
    }

    default void epochStarted(int epoch, int steps, int samples) {
    }

    /** The mean training loss over the samples of this epoch seen so far, and the learning rate in force. */
    default void progress(int epoch, int stepsDone, long samplesDone, double meanLoss, double learningRate) {
    }

    default void epochFinished(EpochSummary summary) {
    }
}
