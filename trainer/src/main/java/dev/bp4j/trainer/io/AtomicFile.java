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

/**
 * Writes a file so that readers see either the old file or the complete new one: the content
 * goes to a temporary file in the same folder (so the rename stays on one file system), is
 * forced to disk, then renamed over the target, and the folder is forced too so the rename
 * itself survives a power loss. On failure the temporary file is deleted and the target is
 * untouched. A crash (kill -9) can leave the temporary file behind, never a partial target;
 * its name starts with a dot and ends in {@value #TEMPORARY_SUFFIX}.
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
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        // Not Files.createTempFile: its owner-only permissions would pass to the target on the
        // rename; a plain new file gets the permissions the user's umask gives any file.
        Path temporary = folder.resolve("." + absolute.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                + TEMPORARY_SUFFIX);
        FileChannel created = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (FileChannel channel = created;
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            CrashPoint.BEFORE_RENAME.reached();
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        forceFolder(folder);
    }

    /**
     * fsync of the folder, which makes the rename durable on POSIX file systems. Windows cannot
     * open a folder as a channel and its file systems journal renames themselves, so there the
     * step is skipped; anywhere else a failure is reported.
     */
    private static void forceFolder(Path folder) throws IOException {
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return;
        }
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
