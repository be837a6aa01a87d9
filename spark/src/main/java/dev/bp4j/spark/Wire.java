package dev.bp4j.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The byte format of the values Spark carries between the driver and its executors (task
 * closures, partition results, the tree aggregation and the broadcast sync point).
 *
 * <p>Why the bytes are explicit: Spark would move our records with Java serialization, which
 * turns bytes into objects of whatever class they name. bp4j treats every file and every byte it
 * did not write as untrusted, so no class of ours is {@code Serializable}; Spark carries only
 * {@code byte[]}, and each message is read back field by field by the record it belongs to,
 * with every length checked against the bytes that are left.
 *
 * <p>A message is a header, then its fields in a fixed order, all little-endian: the magic
 * {@code "bp4j"}, one byte naming the {@link Message} kind, one byte its version. Strings are an
 * {@code int} byte count and UTF-8; arrays an {@code int} element count and the elements; a
 * count of -1 stands for null; enums travel by name.
 */
final class Wire {

    /**
     * A message kind: its code in the header, the version of it that this build writes and
     * reads, and its name in errors. (Not an enum: enums are Serializable.)
     */
    record Message(byte code, byte version, String label) {
    }

    static final Message DATA_PLAN = new Message((byte) 1, (byte) 1, "data plan");
    static final Message RUN_PLAN = new Message((byte) 2, (byte) 1, "run plan");
    static final Message DATA_SHAPE = new Message((byte) 3, (byte) 1, "data shape");
    static final Message REPLICA = new Message((byte) 4, (byte) 1, "replica");
    static final Message REPLICA_SUM = new Message((byte) 5, (byte) 1, "replica sum");
    static final Message SYNC_POINT = new Message((byte) 6, (byte) 1, "sync point");

    private static final int MAGIC = 'b' | 'p' << 8 | '4' << 16 | 'j' << 24;
    private static final int HEADER_BYTES = Integer.BYTES + 2;
    /** The largest array the JVM allocates. */
    private static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private Wire() {
    }

    /**
     * The message {@code body} writes. The body runs twice, first to count the bytes, then to
     * write them into an array of exactly that size, so a message of tens of megabytes is never
     * copied while it grows.
     */
    static byte[] encode(Message kind, Consumer<Writer> body) {
        Writer counter = new Writer(null);
        body.accept(counter);
        long size = HEADER_BYTES + counter.size;
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException(kind.label + ": " + size + " bytes, more than one message holds (" + MAX_BYTES
                    + "); use a smaller network");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC).put(kind.code).put(kind.version);
        body.accept(new Writer(buffer));
        if (buffer.hasRemaining()) {
            throw new IllegalStateException(kind.label + ": wrote " + buffer.position() + " of " + size + " counted bytes");
        }
        return buffer.array();
    }

    /**
     * Reads a message of kind {@code kind} with {@code body}, which must consume it to the last
     * byte.
     *
     * @throws IllegalArgumentException the bytes are not such a message of this version, are
     *                                  truncated, or declare more than they hold
     */
    static <T> T decode(Message kind, byte[] bytes, Function<Reader, T> body) {
        if (bytes == null) {
            throw new IllegalArgumentException(kind.label + ": no bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Reader reader = new Reader(kind, buffer);
        reader.need(HEADER_BYTES, "the header");
        int magic = buffer.getInt();
        byte code = buffer.get();
        byte version = buffer.get();
        if (magic != MAGIC || code != kind.code) {
            throw new IllegalArgumentException(kind.label + ": not a bp4j " + kind.label + " message (magic 0x"
                    + Integer.toHexString(magic) + ", kind " + code + ")");
        }
        if (version != kind.version) {
            throw new IllegalArgumentException(kind.label + ": version " + version + ", this build reads version " + kind.version
                    + "; run the same bp4j on the driver and the executors");
        }
        T value = body.apply(reader);
        if (buffer.hasRemaining()) {
            throw new IllegalArgumentException(kind.label + ": " + buffer.remaining() + " unexpected bytes after the message");
        }
        return value;
    }

    /** Writes fields, or with no buffer only counts their bytes. */
    static final class Writer {
        private final ByteBuffer buffer;
        private long size;

        private Writer(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        Writer putInt(int value) {
            size += Integer.BYTES;
            if (buffer != null) {
                buffer.putInt(value);
            }
            return this;
        }

        Writer putLong(long value) {
            size += Long.BYTES;
            if (buffer != null) {
                buffer.putLong(value);
            }
            return this;
        }

        Writer putFloat(float value) {
            return putInt(Float.floatToRawIntBits(value));
        }

        Writer putDouble(double value) {
            return putLong(Double.doubleToRawLongBits(value));
        }

        Writer putBoolean(boolean value) {
            size += 1;
            if (buffer != null) {
                buffer.put((byte) (value ? 1 : 0));
            }
            return this;
        }

        Writer putString(String value) {
            if (value == null) {
                return putInt(-1);
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            putInt(utf8.length);
            size += utf8.length;
            if (buffer != null) {
                buffer.put(utf8);
            }
            return this;
        }

        Writer putEnum(Enum<?> value) {
            return putString(value == null ? null : value.name());
        }

        Writer putInts(int[] values) {
            return values == null ? putInt(-1) : putArray(values.length, Integer.BYTES, b -> b.asIntBuffer().put(values));
        }

        Writer putFloats(float[] values) {
            return values == null ? putInt(-1) : putArray(values.length, Float.BYTES, b -> b.asFloatBuffer().put(values));
        }

        Writer putDoubles(double[] values) {
            return values == null ? putInt(-1) : putArray(values.length, Double.BYTES, b -> b.asDoubleBuffer().put(values));
        }

        Writer putFloatArrays(float[][] arrays) {
            return putEach(arrays, this::putFloats);
        }

        Writer putDoubleArrays(double[][] arrays) {
            return putEach(arrays, this::putDoubles);
        }

        private <A> Writer putEach(A[] arrays, Consumer<A> put) {
            if (arrays == null) {
                return putInt(-1);
            }
            putInt(arrays.length);
            for (A a : arrays) {
                put.accept(a);
            }
            return this;
        }

        /** A count, then the elements, which {@code bulkPut} copies in at once through a view of the buffer. */
        private Writer putArray(int count, int elementBytes, Consumer<ByteBuffer> bulkPut) {
            putInt(count);
            size += (long) elementBytes * count;
            if (buffer != null) {
                bulkPut.accept(buffer);
                buffer.position(buffer.position() + elementBytes * count);
            }
            return this;
        }
    }

    /** Reads fields, checking each against the bytes that are left. */
    static final class Reader {
        private final Message kind;
        private final ByteBuffer buffer;

        private Reader(Message kind, ByteBuffer buffer) {
            this.kind = kind;
            this.buffer = buffer;
        }

        int getInt() {
            need(Integer.BYTES, "an int");
            return buffer.getInt();
        }

        long getLong() {
            need(Long.BYTES, "a long");
            return buffer.getLong();
        }

        float getFloat() {
            return Float.intBitsToFloat(getInt());
        }

        double getDouble() {
            return Double.longBitsToDouble(getLong());
        }

        boolean getBoolean() {
            need(1, "a boolean");
            byte b = buffer.get();
            if (b != 0 && b != 1) {
                throw corrupt("a boolean of " + b + " at byte " + (buffer.position() - 1));
            }
            return b == 1;
        }

        String getString() {
            int n = count(1, "string");
            if (n < 0) {
                return null;
            }
            byte[] utf8 = new byte[n];
            buffer.get(utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }

        <E extends Enum<E>> E getEnum(Class<E> type) {
            String name = getString();
            if (name == null) {
                return null;
            }
            try {
                return Enum.valueOf(type, name);
            } catch (IllegalArgumentException e) {
                throw corrupt("unknown " + type.getSimpleName() + " \"" + name + "\"");
            }
        }

        int[] getInts() {
            return getArray(Integer.BYTES, "int array", int[]::new, (b, values) -> b.asIntBuffer().get(values));
        }

        float[] getFloats() {
            return getArray(Float.BYTES, "float array", float[]::new, (b, values) -> b.asFloatBuffer().get(values));
        }

        double[] getDoubles() {
            return getArray(Double.BYTES, "double array", double[]::new, (b, values) -> b.asDoubleBuffer().get(values));
        }

        /** An array of a checked count, which {@code bulkGet} fills at once through a view of the buffer. */
        private <A> A getArray(int elementBytes, String what, IntFunction<A> allocate, BiConsumer<ByteBuffer, A> bulkGet) {
            int n = count(elementBytes, what);
            if (n < 0) {
                return null;
            }
            A values = allocate.apply(n);
            bulkGet.accept(buffer, values);
            buffer.position(buffer.position() + elementBytes * n);
            return values;
        }

        float[][] getFloatArrays() {
            return getEach("list of float arrays", float[][]::new, this::getFloats);
        }

        double[][] getDoubleArrays() {
            return getEach("list of double arrays", double[][]::new, this::getDoubles);
        }

        private <A> A[] getEach(String what, IntFunction<A[]> allocate, Supplier<A> get) {
            int n = count(Integer.BYTES, what);
            if (n < 0) {
                return null;
            }
            A[] arrays = allocate.apply(n);
            for (int i = 0; i < n; i++) {
                arrays[i] = get.get();
            }
            return arrays;
        }

        /**
         * A count of elements of at least {@code elementBytes} each, or -1 for null; a count the
         * remaining bytes cannot hold is refused before anything is allocated.
         */
        int count(int elementBytes, String what) {
            int at = buffer.position();
            int n = getInt();
            if (n < -1) {
                throw corrupt("a " + what + " of " + n + " elements at byte " + at);
            }
            if (n > 0 && (long) n * elementBytes > buffer.remaining()) {
                throw corrupt("a " + what + " of " + n + " elements at byte " + at + ", but only " + buffer.remaining()
                        + " bytes follow");
            }
            return n;
        }

        private void need(int bytes, String what) {
            if (buffer.remaining() < bytes) {
                throw corrupt("truncated: " + what + " at byte " + buffer.position() + " needs " + bytes + " bytes, "
                        + buffer.remaining() + " left");
            }
        }

        private IllegalArgumentException corrupt(String problem) {
            return new IllegalArgumentException(kind.label + ": " + problem);
        }
    }
}
