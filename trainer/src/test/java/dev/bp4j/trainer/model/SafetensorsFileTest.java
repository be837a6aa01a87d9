package dev.bp4j.trainer.model;

import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.io.AtomicFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsFileTest {

    @TempDir
    Path folder;

    @Test
    void writesWhatItReadsBackWithTheDataEightByteAligned() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", Tensor.matrix(2, 3, new float[] {1, 2, 3, 4, 5, -6.5f}));
        tensors.put("b", Tensor.vector(new float[] {Float.MIN_VALUE, Float.MAX_VALUE, -0f}));
        tensors.put("empty", new Tensor(new long[] {0, 4}, new float[0]));
        Map<String, String> metadata = Map.of("architecture", "3,2", "note", "ünïcode \"quoted\" = <ok>");
        Path file = folder.resolve("t.safetensors");
        SafetensorsFile.write(file, tensors, metadata);

        SafetensorsFile.Contents read = SafetensorsFile.read(file);
        assertEquals(tensors, read.tensors());
        assertEquals(metadata, read.metadata());
        assertEquals(List.of("a", "b", "empty"), List.copyOf(read.tensors().keySet()));
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8);
        assertEquals(8 + headerLength + 4 * 9, Files.size(file));
    }

    @Test
    void readsAFileWrittenByHandInTheReferenceLayout() throws Exception {
        byte[] data = floats(1.5f, -2f);
        Path file = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data);
        assertArrayEquals(new float[] {1.5f, -2f}, SafetensorsFile.read(file).tensors().get("x").data());
    }

    @Test
    void rejectsFilesTooShortForTheLengthPrefix() throws Exception {
        Path file = folder.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertProblem(file, "byte 0", "8-byte header length");
    }

    @Test
    void rejectsAHeaderLengthBeyondTheFileOrTheCap() throws Exception {
        Path file = folder.resolve("long.safetensors");
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        assertProblem(file, "byte 0", "header length of 1000");
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        assertProblem(file, "byte 0", "header length of 18446744073709551615");
    }

    @Test
    void aFileThatIsNotSafetensorsIsCalledSo() throws Exception {
        Path csv = folder.resolve("data.csv");
        Files.writeString(csv, "feature,other,label\n1,2,3\n4,5,6\n7,8,9\n");
        assertProblem(csv, "byte 0", "not a safetensors file");
    }

    @Test
    void aHeaderThatIsNotJsonIsReportedWithoutTheParsersAdvice() throws Exception {
        Path file = raw("{\"x\" 1}", new byte[0]);
        DataFormatException e = assertThrows(DataFormatException.class, () -> SafetensorsFile.read(file));
        assertTrue(e.getMessage().contains("the header is not valid JSON (at line 1, column"), e.getMessage());
        assertFalse(e.getMessage().contains("Strictness") || e.getMessage().contains("LENIENT") || e.getMessage().contains("JsonReader"),
                e.getMessage());
    }

    @Test
    void duplicateNamesAreRefusedInsteadOfTheLastOneWinning() throws Exception {
        String tensors = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertProblem(raw(tensors, new byte[8]), "header", "the name 'x' appears twice");
        String metadata = "{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}";
        assertProblem(raw(metadata, new byte[0]), "header", "the name 'k' appears twice");
    }

    @Test
    void aTensorOfMoreThanTwoGibibytesIsReadWhole() throws Exception {
        long elements = (1L << 29) + 2; // 2 GiB + 8 bytes: its byte length does not fit an int
        assumeTrue(Runtime.getRuntime().maxMemory() > (3L << 30), "needs a heap of more than 3 GiB for a 2 GiB tensor");
        byte[] json = ("{\"big\":{\"dtype\":\"F32\",\"shape\":[" + elements + "],\"data_offsets\":[0," + 4 * elements + "]}}")
                .getBytes(StandardCharsets.UTF_8);
        Path file = folder.resolve("big.safetensors");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, json.length));
            channel.write(ByteBuffer.wrap(json));
            // Sparse: only the last element is written; the rest reads as zeros.
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, 7.5f), 8 + json.length + 4 * (elements - 1));
        }
        float[] data = SafetensorsFile.read(file).tensors().get("big").data();
        assertEquals(elements, data.length);
        assertEquals(7.5f, data[data.length - 1]);
        assertEquals(0f, data[data.length / 2]);
    }

    @Test
    void aWriteIntoAMissingFolderSaysSoNamingTheTargetNotATemporaryFile() {
        Path target = folder.resolve("nodir").resolve("m.safetensors");
        IOException e = assertThrows(IOException.class, () -> SafetensorsFile.write(target, Map.of(), Map.of()));
        assertEquals("cannot write " + target + ": the folder " + target.getParent() + " does not exist; create it or choose another path",
                e.getMessage());
    }

    @Test
    void rejectsHeadersThatAreNotJsonObjects() throws Exception {
        assertProblem(raw("{\"x\": ", new byte[0]), "byte 8", "not valid JSON");
        assertProblem(raw("[1, 2]", new byte[0]), "byte 8", "JSON object");
        assertProblem(raw("{} trailing", new byte[0]), "byte 8", "");
    }

    @Test
    void rejectsOtherDtypesAndMalformedEntries() throws Exception {
        assertProblem(raw("{\"x\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]), "'x'", "F16 is not supported, expected F32");
        assertProblem(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8]), "'x'", "non-negative");
        assertProblem(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", new byte[8]), "'x'", "64-bit integer");
        assertProblem(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", new byte[8]), "'x'", "2 entries");
        assertProblem(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1}}", new byte[8]), "'x'", "unexpected field");
        assertProblem(raw("{\"__metadata__\":{\"k\":3}}", new byte[0]), "__metadata__.k", "string");
    }

    @Test
    void rejectsSizesThatDoNotMatchOrOverflow() throws Exception {
        assertProblem(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]), "'x'", "12 bytes");
        assertProblem(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", new byte[8]),
                "'x'", "overflows");
        assertProblem(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1073741824,2],\"data_offsets\":[0,8589934592]}}", new byte[8]),
                "'x'", "larger than the largest matrix bp4j holds (2147483639 floats, 8 GiB)");
    }

    @Test
    void rejectsGapsOverlapsAndBytesOutsideTheTensors() throws Exception {
        String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertProblem(raw(gap, new byte[12]), "byte", "contiguous");
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertProblem(raw(overlap, new byte[8]), "byte", "contiguous");
        String one = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertProblem(raw(one, new byte[8]), "byte", "data region holds 8 bytes");
        assertProblem(raw(one, new byte[2]), "byte", "data region holds 2 bytes");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path file = folder.resolve("kept.json");
        Files.writeString(file, "old");
        assertThrows(IOException.class, () -> AtomicFile.write(file, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(file));
        try (var listing = Files.list(folder)) {
            assertEquals(List.of(file), listing.toList());
        }
        AtomicFile.write(file, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(file));
    }

    private Path raw(String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json).put(data);
        Path file = Files.createTempFile(folder, "raw", ".safetensors");
        Files.write(file, bytes.array());
        return file;
    }

    private static byte[] floats(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        return bytes.array();
    }

    private static void assertProblem(Path file, String position, String problem) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> SafetensorsFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(position) && e.getMessage().contains(problem), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }
}
