package dev.bp4j.trainer.model;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.io.AtomicFile;
import dev.bp4j.trainer.io.WriteSteps;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The safetensors format (Hugging Face), float32 tensors only: an 8-byte little-endian header
 * length N, N bytes of UTF-8 JSON mapping each tensor name to {@code dtype}, {@code shape} and
 * {@code data_offsets} [begin, end) into the data that follows, plus an optional
 * {@code __metadata__} map of strings; then the tensors' bytes, little-endian, back to back.
 *
 * <p>Reading trusts nothing in the file: the header length is capped, every offset and size is
 * computed with overflow checks, the tensors must tile the data region exactly, and every
 * problem is a {@link DataFormatException} naming the file and the byte or header entry.
 */
public final class SafetensorsFile {

    /** Larger headers are refused before anything is allocated for them. */
    public static final long MAX_HEADER_BYTES = 16L << 20;
    private static final String METADATA_KEY = "__metadata__";
    private static final String F32 = "F32";
    private static final int HEADER_START = 8;

    /** What a file holds: tensors in file order and the metadata strings. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    private SafetensorsFile() {
    }

    // ---- writing ------------------------------------------------------------------------------

    /** Writes the tensors, in the map's order, and the metadata; atomically (see {@link AtomicFile}). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, WriteSteps.DIRECT);
    }

    /** As above, through the given write steps. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, WriteSteps steps) throws IOException {
        byte[] header = encodeHeader(tensors, metadata);
        AtomicFile.write(file, out -> {
            out.write(header);
            writeData(out, tensors.values());
        }, steps);
    }

    /**
     * Everything before the tensor data: the 8-byte length, then the JSON header (compact, no
     * HTML escaping) padded with spaces so the data starts 8-byte aligned, as the reference
     * implementation does. The tensors are laid out back to back in the map's order.
     */
    public static byte[] encodeHeader(Map<String, Tensor> tensors, Map<String, String> metadata) {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        metadata.forEach(meta::addProperty);
        header.add(METADATA_KEY, meta);
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            if (entry.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor may not be named " + METADATA_KEY);
            }
            Tensor tensor = entry.getValue();
            JsonObject description = new JsonObject();
            description.addProperty("dtype", F32);
            JsonArray shape = new JsonArray();
            for (long dimension : tensor.shape()) {
                shape.add(dimension);
            }
            description.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += 4L * tensor.data().length;
            offsets.add(offset);
            description.add("data_offsets", offsets);
            header.add(entry.getKey(), description);
        }
        byte[] json = new GsonBuilder().disableHtmlEscaping().create().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(HEADER_START + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        return prefix.array();
    }

    /** The tensors' elements, little-endian float32, back to back in iteration order: the data region. */
    public static void writeData(OutputStream out, Collection<Tensor> tensors) throws IOException {
        long elements = 0;
        for (Tensor tensor : tensors) {
            elements += tensor.data().length;
        }
        // Small tensors get a small buffer: checksums call this once per tensor.
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.max(4, Math.min(1 << 16, 4 * elements))).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor tensor : tensors) {
            for (float value : tensor.data()) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                chunk.putFloat(value);
            }
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    // ---- reading ------------------------------------------------------------------------------

    public static Contents read(Path file) throws IOException, DataFormatException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            long headerLength = headerLength(file, channel);
            String json = decodeUtf8(file, readFully(channel, HEADER_START, (int) headerLength));
            long dataStart = HEADER_START + headerLength;
            long dataLength = fileSize - dataStart;

            JsonObject header = parseHeader(file, json);
            Map<String, String> metadata = new LinkedHashMap<>();
            List<TensorEntry> entries = new ArrayList<>();
            for (Map.Entry<String, JsonElement> member : header.entrySet()) {
                if (member.getKey().equals(METADATA_KEY)) {
                    readMetadata(file, member.getValue(), metadata);
                } else {
                    entries.add(describeTensor(file, member.getKey(), member.getValue()));
                }
            }
            checkTiling(file, entries, dataStart, dataLength);

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (TensorEntry entry : entries) {
                tensors.put(entry.name, new Tensor(entry.shape, readFloats(channel, dataStart + entry.begin, (int) entry.elements)));
            }
            return new Contents(tensors, metadata);
        }
    }

    /**
     * The raw bytes before the data region, the 8-byte length included, exactly as stored, for
     * checksums over the header. Only the length is checked here.
     */
    public static byte[] readHeaderBytes(Path file) throws IOException, DataFormatException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long headerLength = headerLength(file, channel);
            return readFully(channel, 0, HEADER_START + (int) headerLength).array();
        }
    }

    /** The header length the file declares, checked against the cap and the file's size. */
    private static long headerLength(Path file, FileChannel channel) throws IOException, DataFormatException {
        long fileSize = channel.size();
        if (fileSize < HEADER_START) {
            throw DataFormatException.at(file, "byte 0", "expected an 8-byte header length, the file has " + fileSize + " bytes");
        }
        long headerLength = readFully(channel, 0, HEADER_START).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - HEADER_START) {
            throw DataFormatException.at(file, "byte 0", "not a safetensors file: its first 8 bytes give a header length of "
                    + Long.toUnsignedString(headerLength) + ", outside [2, " + Math.min(MAX_HEADER_BYTES, fileSize - HEADER_START)
                    + "] for a file of " + fileSize + " bytes; give a model saved by bp4j train --save or a checkpoint");
        }
        return headerLength;
    }

    private record TensorEntry(String name, long[] shape, long elements, long begin, long end) {
    }

    private static JsonObject parseHeader(Path file, String json) throws DataFormatException {
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw DataFormatException.at(file, "byte " + HEADER_START, "unexpected text after the header's JSON object");
            }
            if (!root.isJsonObject()) {
                throw DataFormatException.at(file, "byte " + HEADER_START, "expected the header to be a JSON object");
            }
            String duplicate = firstDuplicateName(json);
            if (duplicate != null) {
                // Gson keeps the last of equal names; the safetensors format forbids them, so no entry silently wins.
                throw DataFormatException.at(file, "header", "the name '" + duplicate + "' appears twice; each tensor and "
                        + "metadata key must be unique");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException | IOException e) {
            throw DataFormatException.at(file, "byte " + HEADER_START, "the header is not valid JSON" + jsonPosition(e.getMessage())
                    + "; the file is damaged or not a safetensors file");
        }
    }

    private static final Pattern JSON_POSITION = Pattern.compile("line (\\d+) column (\\d+)");

    /** Where Gson stopped, as " (at line L, column C)"; Gson's own advice (lenient parsing) does not apply to a file format. */
    private static String jsonPosition(String gsonMessage) {
        Matcher m = JSON_POSITION.matcher(gsonMessage == null ? "" : gsonMessage);
        return m.find() ? " (at line " + m.group(1) + ", column " + m.group(2) + ")" : "";
    }

    /** The first name that occurs twice in one object, at the top level or in __metadata__, or null. */
    private static String firstDuplicateName(String json) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT);
        return duplicateIn(reader);
    }

    private static String duplicateIn(JsonReader reader) throws IOException {
        switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                Set<String> names = new HashSet<>();
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    if (!names.add(name)) {
                        return name;
                    }
                    String inner = duplicateIn(reader);
                    if (inner != null) {
                        return inner;
                    }
                }
                reader.endObject();
            }
            case BEGIN_ARRAY -> {
                reader.beginArray();
                while (reader.hasNext()) {
                    String inner = duplicateIn(reader);
                    if (inner != null) {
                        return inner;
                    }
                }
                reader.endArray();
            }
            default -> reader.skipValue();
        }
        return null;
    }

    private static void readMetadata(Path file, JsonElement value, Map<String, String> metadata) throws DataFormatException {
        if (!value.isJsonObject()) {
            throw headerError(file, METADATA_KEY, "expected an object of strings");
        }
        for (Map.Entry<String, JsonElement> item : value.getAsJsonObject().entrySet()) {
            if (!(item.getValue() instanceof JsonPrimitive p) || !p.isString()) {
                throw headerError(file, METADATA_KEY + "." + item.getKey(), "expected a string value");
            }
            metadata.put(item.getKey(), p.getAsString());
        }
    }

    private static TensorEntry describeTensor(Path file, String name, JsonElement value) throws DataFormatException {
        if (!value.isJsonObject()) {
            throw headerError(file, name, "expected an object with dtype, shape and data_offsets");
        }
        JsonObject description = value.getAsJsonObject();
        for (String key : description.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw headerError(file, name, "unexpected field '" + key + "'");
            }
        }
        JsonElement dtype = description.get("dtype");
        if (!(dtype instanceof JsonPrimitive p) || !p.isString()) {
            throw headerError(file, name, "expected dtype to be a string");
        }
        if (!F32.equals(p.getAsString())) {
            throw headerError(file, name, "dtype " + p.getAsString() + " is not supported, expected F32");
        }
        long[] shape = nonNegativeIntegers(file, name, "shape", description.get("shape"), -1);
        long[] offsets = nonNegativeIntegers(file, name, "data_offsets", description.get("data_offsets"), 2);
        long elements = 1;
        try {
            for (long dimension : shape) {
                elements = Math.multiplyExact(elements, dimension);
            }
            long bytes = Math.multiplyExact(elements, 4L);
            if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != bytes) {
                throw headerError(file, name, "data_offsets [" + offsets[0] + ", " + offsets[1] + ") do not hold the "
                        + bytes + " bytes of an F32 tensor of shape " + Arrays.toString(shape));
            }
        } catch (ArithmeticException e) {
            throw headerError(file, name, "shape " + Arrays.toString(shape) + " overflows 64-bit sizes");
        }
        if (elements > MAX_TENSOR_ELEMENTS) {
            throw headerError(file, name, "a tensor of " + elements + " elements is larger than the largest matrix bp4j holds ("
                    + MAX_TENSOR_ELEMENTS + " floats, 8 GiB)");
        }
        return new TensorEntry(name, shape, elements, offsets[0], offsets[1]);
    }

    private static long[] nonNegativeIntegers(Path file, String tensor, String field, JsonElement value, int expectedLength)
            throws DataFormatException {
        if (value == null || !value.isJsonArray()) {
            throw headerError(file, tensor, "expected " + field + " to be an array of integers");
        }
        JsonArray array = value.getAsJsonArray();
        if (expectedLength >= 0 && array.size() != expectedLength) {
            throw headerError(file, tensor, "expected " + field + " to have " + expectedLength + " entries, found " + array.size());
        }
        long[] result = new long[array.size()];
        for (int i = 0; i < result.length; i++) {
            JsonElement item = array.get(i);
            if (!(item instanceof JsonPrimitive p) || !p.isNumber()) {
                throw headerError(file, tensor, "expected " + field + "[" + i + "] to be an integer, found " + item);
            }
            try {
                result[i] = p.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw headerError(file, tensor, "expected " + field + "[" + i + "] to be a 64-bit integer, found " + p);
            }
            if (result[i] < 0) {
                throw headerError(file, tensor, "expected " + field + "[" + i + "] to be non-negative, found " + result[i]);
            }
        }
        return result;
    }

    /** The tensors must cover [0, dataLength) of the data region exactly, without gaps or overlaps. */
    private static void checkTiling(Path file, List<TensorEntry> entries, long dataStart, long dataLength) throws DataFormatException {
        List<TensorEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long expected = 0;
        for (TensorEntry entry : byOffset) {
            if (entry.begin != expected) {
                throw DataFormatException.at(file, "byte " + (dataStart + Math.min(entry.begin, expected)), "tensor '" + entry.name
                        + "' starts at data offset " + entry.begin + ", expected " + expected + " (tensors must be contiguous)");
            }
            expected = entry.end;
        }
        if (expected != dataLength) {
            throw DataFormatException.at(file, "byte " + (dataStart + Math.min(expected, dataLength)), "the tensors end at data offset "
                    + expected + " but the data region holds " + dataLength + " bytes");
        }
    }

    /** As a Java array holds them, and every backend's matrices. */
    private static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Tensors are read in pieces: one buffer for a whole tensor of over 2³¹ bytes cannot be allocated. */
    private static final int READ_CHUNK_FLOATS = 1 << 20;

    /** {@code count} little-endian floats from {@code position}, read a chunk at a time. */
    private static float[] readFloats(FileChannel channel, long position, int count) throws IOException {
        float[] data = new float[count];
        for (int done = 0; done < count; ) {
            int n = Math.min(READ_CHUNK_FLOATS, count - done);
            readFully(channel, position + 4L * done, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data, done, n);
            done += n;
        }
        return data;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private static String decodeUtf8(Path file, ByteBuffer bytes) throws DataFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw DataFormatException.at(file, "byte " + (HEADER_START + bytes.position()), "the header is not valid UTF-8");
        }
    }

    private static DataFormatException headerError(Path file, String entry, String problem) {
        return DataFormatException.at(file, "header entry '" + entry + "'", problem);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
