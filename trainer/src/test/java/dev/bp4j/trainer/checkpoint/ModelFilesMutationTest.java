package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.model.SafetensorsFile;
import dev.bp4j.trainer.model.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded mutations of the fuzz test's seed files, checked against {@link ModelFileContract} on
 * every plain {@code mvn test} (Jazzer's regression mode replays only the seeds). Checkpoints
 * carry checksums that reject nearly every blind mutation at the first check, so two of the
 * three mutators aim past them: header edits get the header checksum recomputed, and content
 * edits are written through the real writers with fresh checksums. That way the structural and
 * semantic checks behind the checksums are fuzzed too.
 */
class ModelFilesMutationTest {

    private static final int MUTANTS_PER_SEED = 100;

    /** Values that stress size and offset arithmetic and the metadata parsers. */
    private static final String[] NUMBERS = {"0", "1", "-1", "3", "4", "8", "12", "2147483647", "2147483648", "4294967296",
        "4611686018427387904", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551616",
        "1e400", "1.5", "-0", "1e-400", "0.0"};
    /** Names and values the readers look for, so swaps land on meaningful entries. */
    private static final String[] STRINGS = {"", "F16", "F32", "I64", "__metadata__", "layers.0.weight", "layers.1.bias",
        "layers.7.weight", "preprocessing.scale", "optimizer.velocity.layers.0.weight", "optimizer.first_moment.layers.1.bias",
        "adam", "momentum", "sgd", "relu", "identity", "bce", "mse", "softmax-ce", "regression", "0,0", "3,-5,2", "3",
        "2147483647,2147483647", "NaN", "Infinity", "-1", "1e9", "0.99", "bp4j-checkpoint-2", "bp4j-mlp", "header_crc32c"};
    private static final String STRUCTURE = "{}[],:\"\\0-e.";
    private static final Path SEEDS_READ_BACK = ModelFileContract.temporaryFile();
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern STRING = Pattern.compile("\"([^\"\\\\]*)\"");

    @Test
    void headerEditsWithRecomputedChecksums() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        assertContractHolds(seed -> {
            byte[] mutant = mutateHeader(seed, random);
            if (random.nextInt(4) != 0) {
                restampHeader(mutant);
            }
            return mutant;
        });
    }

    @Test
    void contentEditsWrittenWithFreshChecksums() throws Exception {
        SplittableRandom random = new SplittableRandom(12);
        assertContractHolds(seed -> mutateContent(seed, random));
    }

    @Test
    void blindByteEdits() throws Exception {
        SplittableRandom random = new SplittableRandom(13);
        assertContractHolds(seed -> mutateBytes(seed, random));
    }

    private interface Mutator {
        byte[] mutate(byte[] seed) throws Exception;
    }

    private static void assertContractHolds(Mutator mutator) throws Exception {
        List<byte[]> seeds = seeds();
        assertTrue(seeds.size() >= 8, "seed files are missing");
        int accepted = 0;
        int total = 0;
        for (byte[] seed : seeds) {
            for (int i = 0; i < MUTANTS_PER_SEED; i++) {
                accepted += ModelFileContract.check(mutator.mutate(seed)) ? 1 : 0;
                total++;
            }
        }
        // Some mutants loading shows the mutations stay close enough to valid files to reach the
        // deepest checks; most being refused shows they are not trivial.
        assertTrue(accepted > 0 && accepted < total / 2, accepted + " of " + total + " mutants accepted");
    }

    // ---- mutators -------------------------------------------------------------------------------

    /** One to three edits of the JSON header's text, then a length prefix that usually matches it. */
    private static byte[] mutateHeader(byte[] seed, SplittableRandom random) {
        if (seed.length < 8) {
            return mutateBytes(seed, random);
        }
        long declared = ByteBuffer.wrap(seed, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (declared < 0 || declared > seed.length - 8) {
            return mutateBytes(seed, random);
        }
        String json = new String(seed, 8, (int) declared, StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(seed, 8 + (int) declared, seed.length);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            json = switch (random.nextInt(5)) {
                case 0 -> replaceRandomMatch(json, NUMBER, NUMBERS[random.nextInt(NUMBERS.length)], random);
                case 1 -> replaceRandomMatch(json, STRING, "\"" + pickString(json, random) + "\"", random);
                case 2 -> {
                    int at = random.nextInt(json.length() + 1);
                    yield json.substring(0, at) + json.substring(Math.min(json.length(), at + 1 + random.nextInt(12)));
                }
                case 3 -> {
                    int at = random.nextInt(json.length() + 1);
                    int end = Math.min(json.length(), at + 1 + random.nextInt(40));
                    yield json.substring(0, end) + json.substring(at, end) + json.substring(end);
                }
                default -> {
                    int at = random.nextInt(json.length() + 1);
                    yield json.substring(0, at) + STRUCTURE.charAt(random.nextInt(STRUCTURE.length())) + json.substring(at);
                }
            };
        }
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        long length = random.nextInt(8) == 0 ? Long.parseLong(NUMBERS[random.nextInt(9)]) : header.length;
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(length).put(header).put(data).array();
    }

    private static String pickString(String json, SplittableRandom random) {
        if (random.nextBoolean()) {
            return STRINGS[random.nextInt(STRINGS.length)];
        }
        List<String> present = new ArrayList<>();
        Matcher m = STRING.matcher(json);
        while (m.find()) {
            present.add(m.group(1));
        }
        return present.isEmpty() ? "" : present.get(random.nextInt(present.size()));
    }

    private static String replaceRandomMatch(String text, Pattern pattern, String replacement, SplittableRandom random) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        return text.substring(0, span[0]) + replacement + text.substring(span[1]);
    }

    /**
     * Reads the seed, changes its content (a value to NaN or infinity, a metadata value, a tensor
     * dropped, reshaped or added) and writes it back with consistent checksums.
     */
    private static byte[] mutateContent(byte[] seed, SplittableRandom random) throws Exception {
        SafetensorsFile.Contents contents;
        try {
            contents = SafetensorsFile.read(Files.write(SEEDS_READ_BACK, seed));
        } catch (DataFormatException e) {
            return mutateBytes(seed, random); // a hostile seed: nothing to edit structurally
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>(contents.tensors());
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        List<String> names = new ArrayList<>(tensors.keySet());
        List<String> keys = new ArrayList<>(metadata.keySet());
        switch (random.nextInt(5)) {
            case 0 -> {
                String name = names.get(random.nextInt(names.size()));
                float[] values = tensors.get(name).data().clone();
                if (values.length > 0) {
                    values[random.nextInt(values.length)] = random.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
                }
                tensors.put(name, new Tensor(tensors.get(name).shape(), values));
            }
            case 1 -> {
                if (!keys.isEmpty()) {
                    String value = random.nextBoolean() ? STRINGS[random.nextInt(STRINGS.length)] : NUMBERS[random.nextInt(NUMBERS.length)];
                    metadata.put(keys.get(random.nextInt(keys.size())), value);
                }
            }
            case 2 -> tensors.remove(names.get(random.nextInt(names.size())));
            case 3 -> {
                String name = names.get(random.nextInt(names.size()));
                float[] values = tensors.get(name).data();
                tensors.put(name, random.nextBoolean() ? Tensor.vector(values) : Tensor.matrix(1, values.length, values));
            }
            default -> tensors.put(STRINGS[random.nextInt(STRINGS.length)], Tensor.vector(new float[random.nextInt(3)]));
        }
        tensors.remove("__metadata__"); // the encoder refuses it; the header edits cover that case
        return SampleCheckpoints.fileBytes(tensors, metadata);
    }

    /** One to four blind edits anywhere: a bit flipped, a byte overwritten, the file cut or extended. */
    private static byte[] mutateBytes(byte[] seed, SplittableRandom random) {
        byte[] bytes = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && bytes.length > 0; e++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(4)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[at] = (byte) random.nextInt(256);
                case 2 -> bytes = Arrays.copyOf(bytes, at);
                default -> bytes = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
            }
        }
        return bytes;
    }

    /** Recomputes the header checksum of a mutated checkpoint, so the mutation meets the checks behind it. */
    private static void restampHeader(byte[] file) {
        if (file.length < 8) {
            return;
        }
        long declared = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (declared >= 0 && declared <= file.length - 8) {
            byte[] header = Arrays.copyOf(file, 8 + (int) declared);
            if (CheckpointFile.stampHeaderChecksum(header)) {
                System.arraycopy(header, 0, file, 0, header.length);
            }
        }
    }

    private static List<byte[]> seeds() throws Exception {
        Path dir = Path.of(ModelFilesMutationTest.class.getResource("ModelFilesFuzzTestInputs/modelOrCheckpoint").toURI());
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                seeds.add(Files.readAllBytes(file));
            }
        }
        return seeds;
    }
}
