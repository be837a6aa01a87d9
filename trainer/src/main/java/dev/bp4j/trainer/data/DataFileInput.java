package dev.bp4j.trainer.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The bytes of one data file, gunzipped when its first two bytes are the gzip magic number, with
 * every read failure turned into a {@link DataFormatException} that names the file and the
 * offset in the (decompressed) content.
 *
 * <p>Data files are untrusted: a small gzip file may claim to inflate to gigabytes. Readers
 * therefore ask {@link #mayHold} before allocating for what a header declares, and reading stops
 * with an error once more than {@link #MAX_CONTENT_BYTES} have been read or inflated.
 */
final class DataFileInput implements AutoCloseable {

    /** The most content bytes any data file may have: 1 GiB, well above Fashion-MNIST's 47 MB. */
    static final long MAX_CONTENT_BYTES = 1L << 30;

    /**
     * Deflate cannot expand its input by more than about 1032:1 (a 258-byte match costs at least
     * two bits), so a gzip file of n bytes holds at most this many times n bytes of content.
     */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final int BUFFER_BYTES = 1 << 16;

    private final String name;
    private final InputStream content;
    private final boolean compressed;
    private final long storedSize;
    private final long maxContentBytes;
    private long position;

    private DataFileInput(String name, InputStream content, boolean compressed, long storedSize, long maxContentBytes) {
        this.name = name;
        this.content = content;
        this.compressed = compressed;
        this.storedSize = storedSize;
        this.maxContentBytes = maxContentBytes;
    }

    /** Opens a file; a missing or unreadable file is a {@link DataFormatException} naming it. */
    static DataFileInput open(Path file) throws DataFormatException {
        String name = file.toString();
        try {
            long size = Files.size(file);
            return of(name, Files.newInputStream(file), size);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(name + ": no such file");
        } catch (IOException e) {
            throw new DataFormatException(name + ": cannot read: " + oneLine(e), e);
        }
    }

    /**
     * Wraps a stream of a file's stored bytes, which this object then owns and closes.
     *
     * @param storedSize the number of stored (possibly compressed) bytes, or −1 when unknown
     */
    static DataFileInput of(String name, InputStream stored, long storedSize) throws DataFormatException {
        return of(name, stored, storedSize, MAX_CONTENT_BYTES);
    }

    /** {@link #of(String, InputStream, long)} with a lower cap on the content, for tests of the cap. */
    static DataFileInput of(String name, InputStream stored, long storedSize, long maxContentBytes) throws DataFormatException {
        BufferedInputStream buffered = new BufferedInputStream(stored, BUFFER_BYTES);
        try {
            buffered.mark(2);
            boolean gzip = buffered.read() == GZIP_MAGIC_0 && buffered.read() == GZIP_MAGIC_1;
            buffered.reset();
            InputStream content = gzip ? new GZIPInputStream(buffered, BUFFER_BYTES) : buffered;
            return new DataFileInput(name, content, gzip, storedSize, maxContentBytes);
        } catch (ZipException | EOFException e) {
            closeQuietly(buffered);
            throw DataFormatException.at(name, "byte 0", "expected a gzip header: " + oneLine(e));
        } catch (IOException e) {
            closeQuietly(buffered);
            throw new DataFormatException(name + ": cannot read: " + oneLine(e), e);
        }
    }

    String name() {
        return name;
    }

    /** Content bytes consumed so far: the offset the next read starts at. */
    long position() {
        return position;
    }

    /**
     * Whether the file can hold {@code bytes} more content bytes after the current position,
     * judged from its stored size alone (false only when it certainly cannot).
     */
    boolean mayHold(long bytes) {
        if (bytes > maxContentBytes - position) {
            return false;
        }
        if (storedSize < 0) {
            return true;
        }
        long capacity = compressed ? storedSize * MAX_DEFLATE_RATIO : storedSize;
        return bytes <= capacity - position;
    }

    /** The stored size when the file is not compressed and the size is known, else −1. */
    long exactContentSize() {
        return compressed ? -1 : storedSize;
    }

    /**
     * Reads up to {@code length} bytes; returns how many, or −1 at the end of the content.
     *
     * @throws DataFormatException on corrupt gzip data, a read error, or content past the cap
     */
    int read(byte[] into, int offset, int length) throws DataFormatException {
        int n;
        try {
            n = content.read(into, offset, length);
        } catch (EOFException e) {
            throw DataFormatException.at(name, "byte " + position, "the gzip stream ends early: the file is truncated");
        } catch (ZipException e) {
            throw DataFormatException.at(name, "byte " + position, "corrupt gzip data (" + oneLine(e) + ")");
        } catch (IOException e) {
            throw new DataFormatException(name + ":byte " + position + ": cannot read: " + oneLine(e), e);
        }
        if (n > 0) {
            position += n;
            if (position > maxContentBytes) {
                throw DataFormatException.at(name, "byte " + maxContentBytes,
                        "expected at most " + maxContentBytes + " bytes of content, found more");
            }
        }
        return n;
    }

    /**
     * Reads exactly {@code length} bytes.
     *
     * @param expected what those bytes are, for the message when the file ends before them
     */
    void readFully(byte[] into, int offset, int length, String expected) throws DataFormatException {
        int done = 0;
        while (done < length) {
            int n = read(into, offset + done, length - done);
            if (n < 0) {
                throw DataFormatException.at(name, "byte " + position, "the file ends here; expected " + expected);
            }
            done += n;
        }
    }

    /** Whether the content has ended: reads at most one byte to find out. */
    boolean atEnd() throws DataFormatException {
        return read(new byte[1], 0, 1) < 0;
    }

    @Override
    public void close() {
        closeQuietly(content);
    }

    /** Closing only releases a file handle of a file already read or abandoned: nothing to report. */
    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the content was read (or rejected) already; a failed close changes neither outcome
        }
    }

    /** Exception messages from the JDK or the OS, flattened so the error stays one line. */
    static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}
