package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.io.AtomicFile;
import dev.bp4j.trainer.io.IoFailure;
import dev.bp4j.trainer.io.WriteSteps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of one run in one folder, {@code checkpoint-<step>.safetensors} with the step
 * zero-padded to twelve digits so names sort like steps. Saving writes atomically, then keeps
 * the newest {@link #KEEP}; loading takes the newest checkpoint that passes every check and
 * reports each one it skips. One run writes to a folder at a time.
 */
public final class CheckpointFolder {

    /** Enough that a checkpoint damaged on disk still leaves an older one to resume from. */
    public static final int KEEP = 3;

    /** A saving run deletes at most one old file per save, so a few listings always find a survivor. */
    private static final int MAX_LISTINGS = 100;

    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{12,19})\\.safetensors");

    private final Path folder;
    private final WriteSteps steps;

    public CheckpointFolder(Path folder) {
        this(folder, WriteSteps.DIRECT);
    }

    /** Saves through {@code steps}: tests observe or interrupt the writes with it. */
    public CheckpointFolder(Path folder, WriteSteps steps) {
        this.folder = folder;
        this.steps = steps;
    }

    public Path folder() {
        return folder;
    }

    /** A checkpoint read from the folder and the file it came from. */
    public record Loaded(Path file, Checkpoint checkpoint) {
    }

    /**
     * Writes the checkpoint as the file of its step, replacing one of the same step, then
     * prunes: checkpoints of higher steps go (the run that wrote them was abandoned for this one,
     * which resumed from an older checkpoint because those were damaged), then all but the newest
     * {@link #KEEP}, then any temporary file an earlier crash left. The file just written is never
     * pruned.
     */
    public Path save(Checkpoint checkpoint) throws IOException {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IOException("cannot create the checkpoint folder " + folder + ": " + IoFailure.reason(e), e);
        }
        long step = checkpoint.state().step();
        Path file = folder.resolve(String.format(Locale.ROOT, "checkpoint-%012d.safetensors", step));
        CheckpointFile.write(file, checkpoint, steps);
        List<Path> notNewer = new ArrayList<>();
        for (Path existing : checkpoints()) {
            if (stepOf(existing) > step) {
                Files.deleteIfExists(existing);
            } else {
                notNewer.add(existing);
            }
        }
        for (Path old : notNewer.subList(Math.min(KEEP, notNewer.size()), notNewer.size())) {
            Files.deleteIfExists(old);
        }
        deleteAbandonedTemporaries();
        return file;
    }

    /**
     * The newest checkpoint that reads back whole, or empty when the folder holds none (or does
     * not exist). Each damaged or unreadable one it passes over is reported, one line each. A
     * run saving into the folder meanwhile may delete a file between the listing and the read;
     * the folder is then listed again, so a reader always finds the newest complete one.
     */
    public Optional<Loaded> newestComplete(Consumer<String> skipped) throws IOException {
        for (int listing = 0; listing < MAX_LISTINGS; listing++) {
            boolean deletedMeanwhile = false;
            for (Path file : checkpoints()) {
                try {
                    return Optional.of(new Loaded(file, CheckpointFile.read(file)));
                } catch (DataFormatException e) {
                    skipped.accept("skipping a damaged checkpoint: " + e.getMessage());
                } catch (NoSuchFileException e) {
                    deletedMeanwhile = true; // pruned by a saving run since the listing: newer ones have appeared
                }
            }
            if (!deletedMeanwhile) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The checkpoint files, newest (highest step) first. */
    public List<Path> checkpoints() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> listing = Files.list(folder)) {
            listing.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(found::add);
        }
        found.sort(Comparator.comparingLong(CheckpointFolder::stepOf).reversed());
        return found;
    }

    private static long stepOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a checkpoint name: " + file);
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // nineteen digits beyond Long.MAX_VALUE: sorts first, then fails to read
        }
    }

    /** A kill -9 during a save leaves its temporary file (see {@link AtomicFile}); the next save removes it. */
    private void deleteAbandonedTemporaries() throws IOException {
        try (Stream<Path> listing = Files.list(folder)) {
            for (Path p : listing.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".checkpoint-") && name.endsWith(AtomicFile.TEMPORARY_SUFFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
