package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.io.AtomicFile;

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

    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{12,19})\\.safetensors");

    private final Path folder;

    public CheckpointFolder(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** A checkpoint read from the folder and the file it came from. */
    public record Loaded(Path file, Checkpoint checkpoint) {
    }

    /**
     * Writes the checkpoint as the file of its step, replacing one of the same step, then
     * deletes all but the newest {@link #KEEP} and any temporary file an earlier crash left.
     */
    public Path save(Checkpoint checkpoint) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(String.format(Locale.ROOT, "checkpoint-%012d.safetensors", checkpoint.state().step()));
        CheckpointFile.write(file, checkpoint);
        List<Path> newestFirst = checkpoints();
        for (Path old : newestFirst.subList(Math.min(KEEP, newestFirst.size()), newestFirst.size())) {
            Files.deleteIfExists(old);
        }
        deleteAbandonedTemporaries();
        return file;
    }

    /**
     * The newest checkpoint that reads back whole, or empty when the folder holds none (or does
     * not exist). Each damaged or unreadable one it passes over is reported, one line each.
     */
    public Optional<Loaded> newestComplete(Consumer<String> skipped) throws IOException {
        for (Path file : checkpoints()) {
            try {
                return Optional.of(new Loaded(file, CheckpointFile.read(file)));
            } catch (DataFormatException e) {
                skipped.accept("skipping a damaged checkpoint: " + e.getMessage());
            } catch (NoSuchFileException e) {
                skipped.accept("skipping a checkpoint deleted while reading: " + file);
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
