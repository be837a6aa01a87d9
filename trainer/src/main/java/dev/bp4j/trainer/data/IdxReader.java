package dev.bp4j.trainer.data;

/**
 * Reads the IDX files of MNIST-style data sets: a 4-byte magic number {@code 00 00 08 d} (element
 * type 0x08 = unsigned byte, then d dimensions), d big-endian int32 dimensions, then the elements
 * in row-major order. Images files have d = 3 (count, rows, columns), labels files d = 1.
 *
 * <p>Every header field is checked before anything is allocated for it, the payload is read to
 * exactly the size the header declares, and the file must end there.
 */
final class IdxReader {

    static final int IMAGES_MAGIC = 0x0000_0803;
    static final int LABELS_MAGIC = 0x0000_0801;

    /** A class limit that admits every label an unsigned byte can hold. */
    static final int ANY_LABEL = 256;

    /** Larger images than 4096 × 4096 pixels are not what an MLP data set holds: a corrupt header. */
    static final int MAX_IMAGE_SIDE = 4096;

    private static final int UNSIGNED_BYTE_TYPE = 0x08;
    /** Bytes inflated, then widened to floats, at a time. */
    private static final int WIDEN_CHUNK_BYTES = 1 << 16;

    private IdxReader() {
    }

    /** Images of one IDX images file, each pixel's unsigned byte 0..255 as a float, image after image. */
    record Images(String file, int count, int rows, int columns, float[] pixels) {

        int pixelsPerImage() {
            return rows * columns;
        }
    }

    /** Labels of one IDX labels file. */
    record Labels(String file, byte[] labels) {

        int count() {
            return labels.length;
        }

        int label(int i) {
            return labels[i] & 0xff;
        }

        /** The class count the labels imply: the largest label + 1. */
        int classCount() {
            int max = 0;
            for (byte b : labels) {
                max = Math.max(max, b & 0xff);
            }
            return max + 1;
        }
    }

    static Images readImages(DataFileInput in) throws DataFormatException {
        int[] dims = readHeader(in, IMAGES_MAGIC, 3, "images (count, rows, columns)");
        int count = dims[0];
        int rows = dims[1];
        int columns = dims[2];
        String[] names = {"image count", "row count", "column count"};
        for (int d = 1; d < 3; d++) {
            if (dims[d] == 0 || dims[d] > MAX_IMAGE_SIDE) {
                throw DataFormatException.at(in.name(), "byte " + (4 + 4 * d),
                        "expected a " + names[d] + " from 1 to " + MAX_IMAGE_SIDE + ", found " + dims[d]);
            }
        }
        long bytes = (long) count * rows * columns; // ≤ 2³¹ · 2¹² · 2¹²: no long overflow
        String what = count + (count == 1 ? " image" : " images") + " of " + rows + "×" + columns;
        long start = checkPayloadSize(in, bytes, what);
        // Widened chunk by chunk as it is inflated: the bytes are never held whole next to the floats.
        float[] pixels = new float[(int) bytes];
        byte[] chunk = new byte[(int) Math.min(bytes, WIDEN_CHUNK_BYTES)];
        for (int done = 0; done < pixels.length; ) {
            int n = Math.min(chunk.length, pixels.length - done);
            in.readFully(chunk, 0, n, what + " (" + bytes + " bytes from byte " + start + ")");
            for (int i = 0; i < n; i++) {
                pixels[done + i] = chunk[i] & 0xff;
            }
            done += n;
        }
        requireEnd(in, start + bytes, what);
        return new Images(in.name(), count, rows, columns, pixels);
    }

    /**
     * @param classLimit labels must be below this; {@link #ANY_LABEL} admits them all
     */
    static Labels readLabels(DataFileInput in, int classLimit) throws DataFormatException {
        int[] dims = readHeader(in, LABELS_MAGIC, 1, "labels (count)");
        String what = dims[0] + (dims[0] == 1 ? " label" : " labels");
        long start = checkPayloadSize(in, dims[0], what);
        byte[] labels = new byte[dims[0]];
        in.readFully(labels, 0, labels.length, what + " (" + labels.length + " bytes from byte " + start + ")");
        requireEnd(in, start + labels.length, what);
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xff;
            if (label >= classLimit) {
                throw DataFormatException.at(in.name(), "byte " + (start + i),
                        "expected a label from 0 to " + (classLimit - 1) + ", found " + label);
            }
        }
        return new Labels(in.name(), labels);
    }

    /** Reads and checks magic number and dimensions; returns the dimensions, each ≥ 0. */
    private static int[] readHeader(DataFileInput in, int magic, int dimensionCount, String what)
            throws DataFormatException {
        int headerBytes = 4 + 4 * dimensionCount;
        byte[] header = new byte[headerBytes];
        in.readFully(header, 0, 4, "a 4-byte IDX magic number");
        int found = bigEndianInt(header, 0);
        if (found != magic) {
            throw DataFormatException.at(in.name(), "byte 0", "expected the IDX magic number "
                    + hex(magic) + " of " + what + ", found " + hex(found) + describeMagic(found));
        }
        in.readFully(header, 4, headerBytes - 4, "the " + dimensionCount + " dimensions of the IDX header");
        int[] dims = new int[dimensionCount];
        for (int d = 0; d < dimensionCount; d++) {
            dims[d] = bigEndianInt(header, 4 + 4 * d);
            if (dims[d] < 0) {
                throw DataFormatException.at(in.name(), "byte " + (4 + 4 * d),
                        "expected a dimension ≥ 0, found " + dims[d] + " (" + hex(dims[d]) + ")");
            }
        }
        if (dims[0] == 0) {
            throw DataFormatException.at(in.name(), "byte 4", "expected at least one sample, found a count of 0");
        }
        return dims;
    }

    /**
     * Checks that {@code bytes} of payload can follow the header in this file, before anything is
     * allocated for them; returns the offset the payload starts at.
     */
    private static long checkPayloadSize(DataFileInput in, long bytes, String what) throws DataFormatException {
        long start = in.position();
        long exact = in.exactContentSize();
        if (exact >= 0 && exact != start + bytes) {
            String problem = exact < start + bytes
                    ? "the file ends here; expected " + what + " (" + bytes + " bytes from byte " + start + ")"
                    : "expected the end of the file after " + what + ", found " + (exact - start - bytes) + " more bytes";
            throw DataFormatException.at(in.name(), "byte " + Math.min(exact, start + bytes), problem);
        }
        if (bytes > Dataset.MAX_VALUES) {
            throw DataFormatException.at(in.name(), "byte 4", "the header declares " + what + " (" + bytes
                    + " values); expected at most " + Dataset.MAX_VALUES);
        }
        if (!in.mayHold(bytes)) {
            throw DataFormatException.at(in.name(), "byte 4", "the header declares " + what + " (" + bytes
                    + " bytes), more than this compressed file can hold: it is truncated or corrupt");
        }
        return start;
    }

    /** Requires the content to end at {@code end}, where the payload the header declares ends. */
    private static void requireEnd(DataFileInput in, long end, String what) throws DataFormatException {
        if (!in.atEnd()) {
            throw DataFormatException.at(in.name(), "byte " + end, "expected the end of the file after " + what + ", found more bytes");
        }
    }

    private static int bigEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    private static String hex(int value) {
        return String.format("0x%08X", value);
    }

    /** Says why a wrong magic number is wrong, when the reason is a common one. */
    private static String describeMagic(int found) {
        if (found == IMAGES_MAGIC) {
            return " (an images file)";
        }
        if (found == LABELS_MAGIC) {
            return " (a labels file)";
        }
        if ((found & 0xffff_0000) == 0 && (found >>> 8 & 0xff) != UNSIGNED_BYTE_TYPE) {
            return " (element type " + String.format("0x%02X", found >>> 8 & 0xff) + "; only 0x08, unsigned byte, is supported)";
        }
        return "";
    }
}
