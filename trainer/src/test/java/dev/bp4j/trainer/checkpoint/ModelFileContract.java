package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.data.DataFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What loading a model promises on any file whatever, checked by the fuzz tests: through
 * {@link TrainedModels#load} (which takes model files and checkpoint files alike) it returns a
 * model or throws {@link DataFormatException} with a one-line message that starts with the file's
 * name, and it allocates no more than a fixed amount plus a multiple of the file's size. Any other
 * exception (an IOException, an index out of bounds, an IllegalArgumentException from a record,
 * a StackOverflowError from nested JSON, an OutOfMemoryError) escapes and fails the test.
 */
final class ModelFileContract {

    /** Covers the JSON parser's and the JIT's own allocations. */
    private static final long FIXED_ALLOWANCE_BYTES = 24L << 20;
    /** JSON trees cost tens of bytes per header byte; tensor data costs 2 (read buffer and floats). */
    private static final long BYTES_PER_FILE_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Path FILE = temporaryFile();

    private ModelFileContract() {
    }

    /** Loads {@code input} as a model file and checks the contract; true when it was accepted. */
    static boolean check(byte[] input) {
        try {
            Files.write(FILE, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long limit = FIXED_ALLOWANCE_BYTES + BYTES_PER_FILE_BYTE * input.length;
        Outcome outcome = load();
        if (outcome.allocatedBytes() > limit) {
            // The first input to reach a code path also allocates for loading its classes and,
            // while fuzzing, for instrumenting them: only a second load of the same file counts.
            outcome = load();
        }
        assertTrue(outcome.allocatedBytes() <= limit,
                "allocated " + outcome.allocatedBytes() + " bytes for a file of " + input.length + " (limit " + limit + ")");
        return outcome.accepted();
    }

    private record Outcome(boolean accepted, long allocatedBytes) {
    }

    private static Outcome load() {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        boolean accepted;
        try {
            TrainedModels.load(FILE, warning -> fail("a file is not a folder, nothing to skip: " + warning));
            accepted = true;
        } catch (DataFormatException e) {
            String message = e.getMessage();
            assertTrue(message.startsWith(FILE + ":"), message);
            assertEquals(1, message.lines().count(), message);
            accepted = false;
        } catch (IOException e) {
            throw new AssertionError("an existing, readable file gave an I/O error instead of a format error", e);
        }
        return new Outcome(accepted, THREADS.getCurrentThreadAllocatedBytes() - before);
    }

    /**
     * In memory (/dev/shm) where the system has it: thousands of mutants each write this file,
     * and on some disks a small write costs milliseconds.
     */
    static Path temporaryFile() {
        Path memory = Path.of("/dev/shm");
        try {
            Path file = Files.isDirectory(memory) && Files.isWritable(memory)
                    ? Files.createTempFile(memory, "bp4j-model-fuzz", ".safetensors")
                    : Files.createTempFile("bp4j-model-fuzz", ".safetensors");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
