package dev.bp4j.trainer.train;

import java.io.IOException;

/**
 * What a run does to survive failures besides training.
 *
 * @param divergenceCheckEverySteps how often, in steps, to read the device and stop if the loss
 *                                  or a gradient holds NaN or infinity; 1 checks every step
 *                                  before its update is applied (free on CPU backends, a wait
 *                                  per step on a GPU); 0 checks only where the run reads the
 *                                  device anyway: progress reports, epoch ends and checkpoints
 * @param checkpointEverySteps      save every this many steps; 0 saves at the end of each epoch.
 *                                  The end of the run is always saved
 * @param checkpoints               where checkpoints go, or null for none
 */
public record Safeguards(int divergenceCheckEverySteps, int checkpointEverySteps, CheckpointSink checkpoints) {

    /** Divergence checks only where the device is read anyway; no checkpoints. */
    public static final Safeguards NONE = new Safeguards(0, 0, null);

    public Safeguards {
        if (divergenceCheckEverySteps < 0 || checkpointEverySteps < 0) {
            throw new IllegalArgumentException("intervals must not be negative: divergence checks every " + divergenceCheckEverySteps
                    + ", checkpoints every " + checkpointEverySteps);
        }
    }

    /** Receives each checkpoint the run takes; the state is already on the host and finite. */
    @FunctionalInterface
    public interface CheckpointSink {
        void save(TrainingState state) throws IOException;
    }
}
