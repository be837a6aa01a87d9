package dev.bp4j.trainer.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a file so that readers see either the old file or the complete new one: the content
 * goes to a temporary file in the same folder (so the rename stays on one file system), is
 * forced to disk, then renamed over the target, and the folder is forced too so the rename
 * itself survives a power loss. On failure the temporary file is deleted and the target is
 * untouched, and the exception says in words what failed, naming the target (never the
 * temporary file). A crash (kill -9) can leave the temporary file behind, never a partial
 * target; its name starts with a dot and ends in {@value #TEMPORARY_SUFFIX}, and the next
 * successful write of the same target removes it.
 */
public final class AtomicFile {

    public static final String TEMPORARY_SUFFIX = ".tmp";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Writes the whole content to the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    public static void write(Path target, Content content) throws IOException {
        write(target, content, WriteSteps.DIRECT);
    }

    /** Writes through {@code steps}, which tests use to observe the fsyncs or to crash inside the write. */
    public static void write(Path target, Content content, WriteSteps steps) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        checkWritable(target);
        // Not Files.createTempFile: its owner-only permissions would pass to the target on the
        // rename; a plain new file gets the permissions the user's umask gives any file.
        String prefix = "." + absolute.getFileName() + ".";
        Path temporary = folder.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + TEMPORARY_SUFFIX);
        try {
            try (FileChannel channel = steps.create(temporary);
                 OutputStream out = new BufferedOutputStream(steps.content(temporary, Channels.newOutputStream(channel)), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                steps.force(temporary, channel);
            }
            steps.beforeRename(temporary, absolute);
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("cannot write " + target + ": " + IoFailure.reason(e), e);
        } catch (RuntimeException | Error e) {
            Files.deleteIfExists(temporary);
            throw e;
        } finally {
            steps.finished(temporary);
        }
        try {
            forceFolder(folder, steps);
        } catch (IOException e) {
            throw new IOException("wrote " + target + " but could not force its folder to disk: " + IoFailure.reason(e), e);
        }
        deleteAbandonedTemporaries(folder, prefix);
    }

    /**
     * Refuses, before anything is created, a target whose folder is missing or which is itself
     * a folder: the JDK would report either with nothing but the temporary file's name.
     */
    private static void checkWritable(Path target) throws IOException {
        String problem = whyNotWritable(target);
        if (problem != null) {
            throw new IOException("cannot write " + target + ": " + problem);
        }
    }

    /**
     * Why {@code target} cannot be written (its folder is missing or a file or read-only, or the
     * target is a folder), or null when nothing stands in the way; lets a program check every
     * output before it starts work.
     */
    public static String whyNotWritable(Path target) {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        if (!Files.isDirectory(folder)) {
            return "the folder " + folder + (Files.exists(folder) ? " is a file" : " does not exist") + "; create it or choose another path";
        }
        if (Files.isDirectory(absolute)) {
            return "it is a folder; give a file name";
        }
        if (!Files.isWritable(folder)) {
            return "the folder " + folder + " is not writable; choose another path";
        }
        return null;
    }

    /**
     * fsync of the folder, which makes the rename durable on POSIX file systems. Windows cannot
     * open a folder as a channel and its file systems journal renames themselves, so there the
     * step is skipped; anywhere else a failure is reported.
     */
    private static void forceFolder(Path folder, WriteSteps steps) throws IOException {
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return;
        }
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            steps.force(folder, channel);
        }
    }

    /** Temporary files of this target that a crash left; the target itself is now whole, so they are garbage. */
    private static void deleteAbandonedTemporaries(Path folder, String prefix) throws IOException {
        Pattern abandoned = Pattern.compile(Pattern.quote(prefix) + "[0-9a-z]{1,13}" + Pattern.quote(TEMPORARY_SUFFIX));
        try (Stream<Path> listing = Files.list(folder)) {
            for (Path p : listing.filter(p -> abandoned.matcher(p.getFileName().toString()).matches()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
