package dev.bp4j.cli;

import dev.bp4j.trainer.io.WriteSteps;
import dev.bp4j.trainer.train.TrainingListener;

/**
 * What a test can attach to {@code bp4j train} through {@link Main#commandLine(TrainHooks)}: a
 * listener that hears every step and the steps of every checkpoint write. The crash tests use
 * them in a child JVM to halt it between steps or inside a write, the way {@code kill -9} would;
 * {@link Main#main} attaches {@link #NONE}, so nothing on the production path can halt the JVM.
 */
public record TrainHooks(TrainingListener listener, WriteSteps checkpointWrites) {

    public static final TrainHooks NONE = new TrainHooks(new TrainingListener() {
    }, WriteSteps.DIRECT);
}
