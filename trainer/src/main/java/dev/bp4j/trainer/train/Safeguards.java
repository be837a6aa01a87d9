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
 * @param lossExplosionFactor       a check also stops the run when the mean loss has stayed above
 *                                  this × max(its value at the first check, 1) for three checks
 *                                  in a row (a loss that exploded without overflowing); 0 = never
 */
public record Safeguards(int divergenceCheckEverySteps, int checkpointEverySteps, CheckpointSink checkpoints,
                         double lossExplosionFactor) {

    /** Far above any loss a run that learns reaches, yet orders of magnitude below an exploded one. */
    public static final double DEFAULT_LOSS_EXPLOSION_FACTOR = 100;

    /** Divergence checks only where the device is read anyway; no checkpoints. */
    public static final Safeguards NONE = new Safeguards(0, 0, null);

    public Safeguards {
        if (divergenceCheckEverySteps < 0 || checkpointEverySteps < 0) {
            throw new IllegalArgumentException("intervals must not be negative: divergence checks every " + divergenceCheckEverySteps
                    + ", checkpoints every " + checkpointEverySteps);
        }
        if (!(lossExplosionFactor == 0 || lossExplosionFactor > 1 && Double.isFinite(lossExplosionFactor))) {
            throw new IllegalArgumentException("the loss explosion factor must be 0 (off) or a finite number above 1, got "
                    + lossExplosionFactor);
        }
    }

    /** With the default loss explosion factor. */
    public Safeguards(int divergenceCheckEverySteps, int checkpointEverySteps, CheckpointSink checkpoints) {
        this(divergenceCheckEverySteps, checkpointEverySteps, checkpoints, DEFAULT_LOSS_EXPLOSION_FACTOR);
    }

    /** Receives each checkpoint the run takes; the state is already on the host and finite. */
    @FunctionalInterface
    public interface CheckpointSink {
        void save(TrainingState state) throws IOException;
    }
}
