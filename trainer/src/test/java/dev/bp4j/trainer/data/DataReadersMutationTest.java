package dev.bp4j.trainer.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Thousands of seeded mutations of the fuzz tests' seed inputs, checked against the same
 * {@link ReaderContract} on every plain {@code mvn test}: Jazzer's regression mode replays only
 * the seeds themselves, and coverage-guided fuzzing ({@code JAZZER_FUZZ=1}) is too slow for CI.
 * Each seed is mutated both as stored and, for plain seeds, gzipped after mutation.
 */
class DataReadersMutationTest {

    private static final int MUTANTS_PER_SEED = 400;

    /** Header values that stress size arithmetic: zero, negatives, int limits and near-limits. */
    private static final int[] INTERESTING_INTS = {0, 1, -1, 255, 256, 4096, 4097, 65536, 0x7fff_ffff, 0x8000_0000, 0x0000_0803,
        0x0000_0801, 0x0100_0000};

    @Test
    void idxImagesReaderKeepsItsContractOnMutatedFiles() throws IOException, URISyntaxException {
        assertContractHolds(ReaderContract.IDX_IMAGES, "idxImages", 1);
    }

    @Test
    void idxLabelsReaderKeepsItsContractOnMutatedFiles() throws IOException, URISyntaxException {
        assertContractHolds(ReaderContract.IDX_LABELS, "idxLabels", 2);
    }

    @Test
    void csvDataSetKeepsItsContractOnMutatedFiles() throws IOException, URISyntaxException {
        assertContractHolds(ReaderContract.CSV_DATA_SET, "csv", 3);
    }

    private static void assertContractHolds(ReaderContract.Reader reader, String seedFolder, long seed)
            throws IOException, URISyntaxException {
        List<byte[]> seeds = seeds(seedFolder);
        assertTrue(seeds.size() >= 5, "seed inputs of " + seedFolder + " are missing");
        SplittableRandom random = new SplittableRandom(seed);
        int accepted = 0;
        int total = 0;
        for (byte[] original : seeds) {
            for (int i = 0; i < MUTANTS_PER_SEED; i++) {
                byte[] mutant = mutate(original, random);
                if (i % 4 == 3 && !isGzip(mutant)) {
                    mutant = IdxBytes.gzip(mutant);
                }
                accepted += ReaderContract.check(reader, mutant) ? 1 : 0;
                total++;
            }
        }
        // Mutants that parse show that the mutations stay close enough to valid files to reach
        // the readers' deeper checks, rather than all failing at the magic number.
        assertTrue(accepted > 0 && accepted < total, accepted + " of " + total + " mutants accepted");
    }

    /** One to four random edits: flip, overwrite, insert, delete, truncate or plant an interesting int. */
    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] bytes = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (bytes.length > 0) {
                        bytes[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> {
                    if (bytes.length > 0) {
                        bytes[at] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> bytes = splice(bytes, at, new byte[] {(byte) random.nextInt(256)}, 0);
                case 3 -> bytes = splice(bytes, at, new byte[0], Math.min(1 + random.nextInt(4), bytes.length - at));
                case 4 -> bytes = Arrays.copyOf(bytes, at);
                default -> {
                    int value = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
                    int word = Math.min(at & ~3, Math.max(0, bytes.length - 4));
                    for (int k = 0; k < 4 && word + k < bytes.length; k++) {
                        bytes[word + k] = (byte) (value >>> (24 - 8 * k));
                    }
                }
            }
        }
        return bytes;
    }

    /** {@code bytes} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    private static byte[] splice(byte[] bytes, int at, byte[] inserted, int removed) {
        byte[] result = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(inserted, 0, result, at, inserted.length);
        System.arraycopy(bytes, at + removed, result, at + inserted.length, bytes.length - at - removed);
        return result;
    }

    private static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    private static List<byte[]> seeds(String folder) throws IOException, URISyntaxException {
        Path dir = Path.of(DataReadersMutationTest.class.getResource("DataReadersFuzzTestInputs/" + folder).toURI());
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                seeds.add(Files.readAllBytes(file));
            }
        }
        return seeds;
    }
}
