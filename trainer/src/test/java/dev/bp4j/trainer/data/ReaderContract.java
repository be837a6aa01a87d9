package dev.bp4j.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;

/**
 * What every data reader promises on any input whatever, checked by the fuzz tests: it returns
 * or throws {@link DataFormatException} with a one-line message that starts with the file's name,
 * and it allocates no more than a fixed amount plus a multiple of the content the input could hold.
 * Any other exception (an index out of bounds, an IllegalArgumentException from a record, an
 * OutOfMemoryError) escapes and fails the test.
 */
final class ReaderContract {

    static final String NAME = "fuzz-input";

    /** Covers buffers, the JIT's own allocations and the fixed-size parts of each reader. */
    private static final long FIXED_ALLOWANCE_BYTES = 24L << 20;
    /** The readers' largest expansion: CSV cells as floats plus their bounds, grown by doubling. */
    private static final long BYTES_PER_CONTENT_BYTE = 48;
    /** Deflate's largest expansion, as in {@link DataFileInput}. */
    private static final long DEFLATE_RATIO = 1032;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A reader under test: reads the whole input and returns something derived from it. */
    interface Reader {
        Object read(DataFileInput in) throws DataFormatException;
    }

    private ReaderContract() {
    }

    static final Reader IDX_IMAGES = IdxReader::readImages;
    static final Reader IDX_LABELS = in -> IdxReader.readLabels(in, IdxReader.ANY_LABEL);
    /** The whole CSV path: parse, label column, split, then fit and apply a scaling. */
    static final Reader CSV_DATA_SET = in -> {
        UnscaledSplit split = CsvSource.load(in, -1, 0.3, 5, FeatureScaling.STANDARD);
        FeatureScaling scaling = FeatureScaling.fit(FeatureScaling.MIN_MAX, split.train());
        scaling.applyInPlace(split.test().features());
        return split;
    };

    /** Runs {@code reader} on {@code input} and checks the contract; true when the input was accepted. */
    static boolean check(Reader reader, byte[] input) {
        long limit = FIXED_ALLOWANCE_BYTES + BYTES_PER_CONTENT_BYTE * mostContent(input);
        Outcome outcome = read(reader, input);
        if (outcome.allocatedBytes() > limit) {
            // The first call on a fresh JVM also allocates for class loading and, while fuzzing,
            // for instrumenting those classes: only a second run of the same input counts.
            outcome = read(reader, input);
        }
        assertTrue(outcome.allocatedBytes() <= limit,
                "allocated " + outcome.allocatedBytes() + " bytes for an input of " + input.length + " (limit " + limit + ")");
        return outcome.accepted();
    }

    private record Outcome(boolean accepted, long allocatedBytes) {
    }

    private static Outcome read(Reader reader, byte[] input) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        boolean accepted;
        try (DataFileInput in = DataFileInput.of(NAME, new ByteArrayInputStream(input), input.length)) {
            reader.read(in);
            accepted = true;
        } catch (DataFormatException e) {
            String message = e.getMessage();
            assertTrue(message.startsWith(NAME + ":"), message);
            assertEquals(1, message.lines().count(), message);
            accepted = false;
        }
        return new Outcome(accepted, THREADS.getCurrentThreadAllocatedBytes() - before);
    }

    private static long mostContent(byte[] input) {
        boolean gzip = input.length >= 2 && (input[0] & 0xff) == 0x1f && (input[1] & 0xff) == 0x8b;
        return Math.min(DataFileInput.MAX_CONTENT_BYTES, gzip ? DEFLATE_RATIO * input.length : input.length);
    }
}
