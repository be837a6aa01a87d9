package dev.bp4j.trainer.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Builds IDX and gzip files byte by byte, so tests can write valid ones and break them on purpose. */
final class IdxBytes {

    private IdxBytes() {
    }

    /** An IDX file: the 4-byte magic number, the dimensions, then the payload as given. */
    static byte[] idx(int magic, int[] dimensions, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dimensions.length + payload.length);
        buffer.putInt(magic);
        for (int d : dimensions) {
            buffer.putInt(d);
        }
        return buffer.put(payload).array();
    }

    static byte[] images(int count, int rows, int columns, long seed) {
        byte[] pixels = new byte[count * rows * columns];
        new SplittableRandom(seed).nextBytes(pixels);
        return idx(IdxReader.IMAGES_MAGIC, new int[] {count, rows, columns}, pixels);
    }

    static byte[] labels(int... labels) {
        byte[] payload = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            payload[i] = (byte) labels[i];
        }
        return idx(IdxReader.LABELS_MAGIC, new int[] {labels.length}, payload);
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code length} bytes of {@code content}. */
    static byte[] prefix(byte[] content, int length) {
        return Arrays.copyOf(content, length);
    }
}
