package dev.bp4j.trainer.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The steps of an {@link AtomicFile} write that can be observed or interrupted: the stream the
 * content goes through, each fsync, and the moment before the rename. {@link #DIRECT} does each
 * step plainly and is what every production write uses; tests pass their own to count the
 * fsyncs or to halt a child JVM inside a write, the way {@code kill -9} would.
 */
public interface WriteSteps {

    WriteSteps DIRECT = new WriteSteps() {
    };

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
}
