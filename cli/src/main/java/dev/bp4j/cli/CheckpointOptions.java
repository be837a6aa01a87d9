package dev.bp4j.cli;

import dev.bp4j.api.Backend;
import dev.bp4j.trainer.BuildInfo;
import dev.bp4j.trainer.checkpoint.Checkpoint;
import dev.bp4j.trainer.checkpoint.CheckpointFolder;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.io.IoFailure;
import dev.bp4j.trainer.io.WriteSteps;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code bp4j train}'s options for surviving failures: checkpoints, resuming, divergence checks. */
final class CheckpointOptions {

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
            description = "look for NaN or infinite loss and gradients every this many steps (default: 1 on backends that finish each operation before returning, as reference and cpu do, "
                    + ASYNCHRONOUS_CHECK_EVERY + " on queued ones such as GPUs; 0 = only at progress updates and epoch ends)")
    Integer checkEvery;

    @Option(names = "--divergence-factor", paramLabel = "F", defaultValue = "" + Safeguards.DEFAULT_LOSS_EXPLOSION_FACTOR,
            description = "stop when the mean loss stays above F × max(its first checked value, 1) for 3 checks in a row; "
                    + "0 = only NaN and infinity stop a run (default: ${DEFAULT-VALUE})")
    double divergenceFactor;

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
        if (!(divergenceFactor == 0 || divergenceFactor > 1 && Double.isFinite(divergenceFactor))) {
            throw usage("--divergence-factor: expected 0 (off) or a number above 1, got " + divergenceFactor);
        }
    }

    /**
     * The checkpoint folder, before the first step: created if missing, and refused when it is a
     * file, cannot be written, or (without --resume) already holds another run's checkpoints.
     */
    void checkFolder() {
        if (folder == null) {
            return;
        }
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw usage("--checkpoint-dir " + folder + ": it is a file; give a folder (created if missing)");
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw usage("--checkpoint-dir " + folder + ": cannot create it: " + IoFailure.reason(e));
        }
        if (!Files.isWritable(folder)) {
            throw usage("--checkpoint-dir " + folder + ": the folder is not writable; choose another");
        }
        if (!resume) {
            List<Path> existing;
            try {
                existing = new CheckpointFolder(folder).checkpoints();
            } catch (IOException e) {
                throw usage("--checkpoint-dir " + folder + ": cannot list it: " + IoFailure.reason(e));
            }
            if (!existing.isEmpty()) {
                throw usage("--checkpoint-dir " + folder + " already holds checkpoints (newest " + existing.getFirst().getFileName()
                        + "); add --resume to continue that run, or give an empty folder");
            }
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
        CheckpointFolder checkpoints = new CheckpointFolder(folder);
        Optional<CheckpointFolder.Loaded> newest = checkpoints.newestComplete(skipped -> err.println("warning: " + skipped));
        if (newest.isEmpty()) {
            int damaged = checkpoints.checkpoints().size();
            if (damaged > 0) {
                // Starting over would prune the new checkpoints in favour of the damaged, higher-numbered ones.
                throw usage("--resume: every checkpoint in " + folder + " is damaged (" + damaged + " files, see the warnings above);"
                        + " move them away to start the run over");
            }
            err.println("no checkpoint in " + folder + " yet; starting from the beginning");
            return newest;
        }
        Checkpoint checkpoint = newest.get().checkpoint();
        List<String> differences = differences(checkpoint, network, settings, data);
        if (!differences.isEmpty()) {
            throw usage("--resume: " + newest.get().file() + " was written by another run (" + String.join("; ", differences)
                    + "); give the options of that run");
        }
        if (checkpoint.state().epochsDone() > settings.epochs()) {
            throw usage("--epochs " + settings.epochs() + ": " + newest.get().file() + " has already finished "
                    + checkpoint.state().epochsDone() + " epochs; ask for at least that many");
        }
        if (checkpoint.state().epochsDone() == settings.epochs()) {
            // A run killed while writing its outputs: nothing left to train, only the outputs to write.
            err.printf("%s: the run had finished all %d epochs; writing its outputs%n", newest.get().file(), settings.epochs());
            return newest;
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
                          boolean classification, WriteSteps writes) {
        int check = checkEvery != null ? checkEvery : defaultCheckEvery(backend);
        if (folder == null) {
            return new Safeguards(check, 0, null, divergenceFactor);
        }
        CheckpointFolder checkpoints = new CheckpointFolder(folder, writes);
        return new Safeguards(check, everySteps, state -> checkpoints.save(new Checkpoint(
                new SavedModel(network, state.parameters(), scaling, data, classification, BuildInfo.version()), settings, state)),
                divergenceFactor);
    }

    /** Every step where a read costs no wait (the backend has finished when it returns); every 32 steps on a queued device. */
    static int defaultCheckEvery(Backend backend) {
        return backend.finishesOnReturn() ? 1 : ASYNCHRONOUS_CHECK_EVERY;
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
