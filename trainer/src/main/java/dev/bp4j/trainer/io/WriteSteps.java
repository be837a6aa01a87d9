package dev.bp4j.trainer.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The steps of an {@link AtomicFile} write that can be observed or interrupted: the creation
 * of the temporary file, the stream the content goes through, each fsync, the moment before the
 * rename, and the end. {@link #DIRECT} does each step plainly. Tests pass their own to count
 * the fsyncs or to halt a child JVM inside a write, the way {@code kill -9} would; the command
 * line passes one that knows every temporary file in existence, so that a second Ctrl-C can
 * delete them before it halts.
 */
public interface WriteSteps {

    WriteSteps DIRECT = new WriteSteps() {
    };

    /** Creates the temporary file, new, for writing. */
    default FileChannel create(Path temporary) throws IOException {
        return FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** The stream the content is written through, below the write buffer; {@code out} itself by default. */
    default OutputStream content(Path temporary, OutputStream out) {
        return out;
    }

    /**
     * Forces what was written through {@code channel} (a file, or a folder after a rename) to the
     * storage device. The durability of the write rests on it, so an implementation must call
     * {@code channel.force(true)}.
     */
    default void force(Path path, FileChannel channel) throws IOException {
        channel.force(true);
    }

    /** Reached when the temporary file is complete and forced, right before it is renamed over the target. */
    default void beforeRename(Path temporary, Path target) {
    }

    /** The temporary file is gone: renamed over the target, or deleted after a failure. */
    default void finished(Path temporary) {
    }
}
