package dev.bp4j.spark;

import dev.bp4j.trainer.checkpoint.Checkpoint;
import dev.bp4j.trainer.checkpoint.CheckpointFolder;
import dev.bp4j.trainer.io.AtomicFile;
import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.train.TrainingSettings;
import dev.bp4j.trainer.train.TrainingState;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The checkpoints of a data-parallel run, taken by the driver at sync points in the trainer's
 * own format (so {@code bp4j eval} reads them, and a folder keeps the newest
 * {@link CheckpointFolder#KEEP}). A checkpoint's position counts the local steps of the partition
 * with the most; the partition count and the sync interval, which the format has no field for,
 * sit beside the checkpoints in {@value #LAYOUT_FILE}, so a resume with other ones is refused.
 */
final class SyncCheckpoints {

    static final String LAYOUT_FILE = "spark-layout.properties";

    private final CheckpointFolder folder;
    private final int partitions;
    private final int syncEvery;

    SyncCheckpoints(Path folder, int partitions, int syncEvery) {
        this.folder = new CheckpointFolder(folder);
        this.partitions = partitions;
        this.syncEvery = syncEvery;
    }

    /** Records the layout; called when a run starts afresh. */
    void start() throws IOException {
        Files.createDirectories(folder.folder());
        String layout = "partitions=" + partitions + "\nsync_every=" + syncEvery + "\n";
        AtomicFile.write(folder.folder().resolve(LAYOUT_FILE), out -> out.write(layout.getBytes(StandardCharsets.UTF_8)));
    }

    void save(SavedModel model, TrainingSettings settings, TrainingState state) throws IOException {
        folder.save(new Checkpoint(model, settings, state));
    }

    /**
     * The newest complete checkpoint, checked to come from this very run, or empty when the
     * folder holds none yet.
     */
    Optional<Checkpoint> resumePoint(SavedModel expected, TrainingSettings settings, Consumer<String> log) throws IOException {
        Optional<CheckpointFolder.Loaded> newest = folder.newestComplete(skipped -> log.accept("warning: " + skipped));
        if (newest.isEmpty()) {
            log.accept("no complete checkpoint in " + folder.folder() + " yet; starting from the beginning");
            return Optional.empty();
        }
        Checkpoint found = newest.get().checkpoint();
        List<String> differences = differences(found, expected, settings);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("--resume: " + newest.get().file() + " was written by another run ("
                    + String.join("; ", differences) + "); give the options of that run");
        }
        if (found.state().epochsDone() >= settings.epochs()) {
            throw new IllegalArgumentException("--epochs " + settings.epochs() + ": " + newest.get().file() + " has already finished "
                    + found.state().epochsDone() + " epochs; ask for more to continue");
        }
        log.accept("resuming from " + newest.get().file() + ": epoch " + (found.state().epochsDone() + 1) + ", step "
                + found.state().step());
        return Optional.of(found);
    }

    private List<String> differences(Checkpoint found, SavedModel expected, TrainingSettings settings) throws IOException {
        List<String> differences = new ArrayList<>();
        if (!found.model().spec().equals(expected.spec())) {
            differences.add("network " + found.model().spec() + ", here " + expected.spec());
        }
        if (!found.model().data().equals(expected.data())) {
            differences.add("data " + found.model().data() + ", here " + expected.data());
        }
        TrainingSettings saved = found.settings();
        if (saved.batchSize() != settings.batchSize() || saved.seed() != settings.seed()
                || !saved.optimizer().equals(settings.optimizer())) {
            differences.add("batch " + saved.batchSize() + ", seed " + saved.seed() + ", " + saved.optimizer() + "; here batch "
                    + settings.batchSize() + ", seed " + settings.seed() + ", " + settings.optimizer());
        }
        Path layoutFile = folder.folder().resolve(LAYOUT_FILE);
        Properties layout = new Properties();
        if (Files.isRegularFile(layoutFile)) {
            layout.load(new StringReader(Files.readString(layoutFile)));
        }
        String expectedLayout = partitions + " partitions, sync every " + syncEvery;
        String savedLayout = layout.getProperty("partitions", "?") + " partitions, sync every " + layout.getProperty("sync_every", "?");
        if (!expectedLayout.equals(savedLayout)) {
            differences.add(savedLayout + ", here " + expectedLayout);
        }
        return differences;
    }
}
