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

    /**
     * A step's operations have been enqueued (not necessarily finished on the device).
     *
     * @param step counted from 1 over the whole run
     */
    default void stepFinished(long step) {
    }

    /**
     * This listener, then {@code other}, for every event; progress is read as often as this
     * listener asks ({@code other} hears those reads too).
     */
    default TrainingListener andThen(TrainingListener other) {
        TrainingListener first = this;
        return new TrainingListener() {
            @Override
            public int progressEverySteps(int stepsPerEpoch) {
                return first.progressEverySteps(stepsPerEpoch);
            }

            @Override
            public void epochStarted(int epoch, int steps, int samples) {
                first.epochStarted(epoch, steps, samples);
                other.epochStarted(epoch, steps, samples);
            }

            @Override
            public void progress(int epoch, int stepsDone, long samplesDone, double meanLoss, double learningRate) {
                first.progress(epoch, stepsDone, samplesDone, meanLoss, learningRate);
                other.progress(epoch, stepsDone, samplesDone, meanLoss, learningRate);
            }

            @Override
            public void epochFinished(EpochSummary summary) {
                first.epochFinished(summary);
                other.epochFinished(summary);
            }

            @Override
            public void stepFinished(long step) {
                first.stepFinished(step);
                other.stepFinished(step);
            }
        };
    }
}
