package dev.bp4j.cli;

import dev.bp4j.api.Backend;
import dev.bp4j.trainer.BuildInfo;
import dev.bp4j.trainer.checkpoint.Checkpoint;
import dev.bp4j.trainer.checkpoint.CheckpointFolder;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.Safeguards;
import dev.bp4j.trainer.train.TrainingSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code bp4j train}'s options for surviving failures: checkpoints, resuming, divergence checks. */
final class CheckpointOptions {

    /** Backends whose operations have finished when they return: reading a value back costs them nothing. */
    private static final Set<String> SYNCHRONOUS_BACKENDS = Set.of("reference", "cpu");
    /** On a GPU each check waits for the queue to drain; every 32 steps that wait is amortised. */
    private static final int ASYNCHRONOUS_CHECK_EVERY = 32;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "save checkpoints (weights, optimizer state, position) here; the newest " + CheckpointFolder.KEEP + " are kept")
    Path folder;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", defaultValue = "0",
            description = "save a checkpoint every this many steps; 0 = at the end of each epoch (default: ${DEFAULT-VALUE})")
    int everySteps;

    @Option(names = "--resume", description = "continue from the newest complete checkpoint in --checkpoint-dir, up to --epochs in total")
    boolean resume;

    @Option(names = "--check-every", paramLabel = "STEPS",
            description = "look for NaN or infinite loss and gradients every this many steps (default: 1 on reference and cpu, "
                    + ASYNCHRONOUS_CHECK_EVERY + " on GPU backends; 0 = only at progress updates and epoch ends)")
    Integer checkEvery;

    /** Checks the options on their own; call before loading data. */
    void check() {
        if (everySteps < 0) {
            throw usage("--checkpoint-every: expected 0 (each epoch end) or a positive number of steps, got " + everySteps);
        }
        if (checkEvery != null && checkEvery < 0) {
            throw usage("--check-every: expected 0 or a positive number of steps, got " + checkEvery);
        }
        if ((resume || everySteps > 0) && folder == null) {
            throw usage((resume ? "--resume" : "--checkpoint-every") + " needs --checkpoint-dir");
        }
    }

    /**
     * With {@code --resume}, the newest complete checkpoint (damaged ones are skipped with a
     * warning), checked to come from this very run; empty without {@code --resume} or when the
     * folder holds none yet, so the same command line starts a run and continues it.
     */
    Optional<CheckpointFolder.Loaded> resumePoint(PrintWriter err, NetworkSpec network, TrainingSettings settings, DataRequest data)
            throws IOException {
        if (!resume) {
            return Optional.empty();
        }
        Optional<CheckpointFolder.Loaded> newest = new CheckpointFolder(folder).newestComplete(skipped -> err.println("warning: " + skipped));
        if (newest.isEmpty()) {
            err.println("no complete checkpoint in " + folder + " yet; starting from the beginning");
            return newest;
        }
        Checkpoint checkpoint = newest.get().checkpoint();
        List<String> differences = differences(checkpoint, network, settings, data);
        if (!differences.isEmpty()) {
            throw usage("--resume: " + newest.get().file() + " was written by another run (" + String.join("; ", differences)
                    + "); give the options of that run");
        }
        if (checkpoint.state().epochsDone() >= settings.epochs()) {
            throw usage("--epochs " + settings.epochs() + ": " + newest.get().file() + " has already finished "
                    + checkpoint.state().epochsDone() + " epochs; ask for more to continue");
        }
        err.printf("resuming from %s: epoch %d, step %d%n", newest.get().file(), checkpoint.state().epochsDone() + 1,
                checkpoint.state().step());
        return newest;
    }

    private static List<String> differences(Checkpoint checkpoint, NetworkSpec network, TrainingSettings settings, DataRequest data) {
        List<String> found = new ArrayList<>();
        if (!checkpoint.model().spec().equals(network)) {
            found.add("network " + checkpoint.model().spec() + ", here " + network);
        }
        if (!checkpoint.model().data().equals(data)) {
            found.add("data " + checkpoint.model().data() + ", here " + data);
        }
        TrainingSettings saved = checkpoint.settings();
        if (saved.batchSize() != settings.batchSize()) {
            found.add("--batch " + saved.batchSize() + ", here " + settings.batchSize());
        }
        if (saved.seed() != settings.seed()) {
            found.add("--seed " + saved.seed() + ", here " + settings.seed());
        }
        OptimizerSettings savedOptimizer = saved.optimizer();
        if (!savedOptimizer.equals(settings.optimizer())) {
            found.add("--optimizer " + savedOptimizer.kind().id() + " --lr " + savedOptimizer.learningRate() + ", here "
                    + settings.optimizer().kind().id() + " --lr " + settings.optimizer().learningRate());
        }
        if (!saved.recipe().equals(settings.recipe())) {
            found.add("training recipe " + saved.recipe() + ", here " + settings.recipe());
        }
        return found;
    }

    /** The divergence checks and, with --checkpoint-dir, the checkpoints of a run on this backend. */
    Safeguards safeguards(Backend backend, NetworkSpec network, TrainingSettings settings, FeatureScaling scaling, DataRequest data,
                          boolean classification) {
        int check = checkEvery != null ? checkEvery : SYNCHRONOUS_BACKENDS.contains(backend.name()) ? 1 : ASYNCHRONOUS_CHECK_EVERY;
        if (folder == null) {
            return new Safeguards(check, 0, null);
        }
        CheckpointFolder checkpoints = new CheckpointFolder(folder);
        return new Safeguards(check, everySteps, state -> checkpoints.save(new Checkpoint(
                new SavedModel(network, state.parameters(), scaling, data, classification, BuildInfo.version()), settings, state)));
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
