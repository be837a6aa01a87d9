package dev.bp4j.trainer.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a CSV file of numbers into a table: comma-separated cells, one row per line, every row
 * with as many cells as the first. The first line is taken as a header when none of its cells is
 * a number. Blank lines are skipped; cells may be padded with spaces or tabs and quoted;
 * {@code \r\n} line ends and a UTF-8 byte-order mark are accepted.
 *
 * <p>Positions in messages are {@code line:column}, both 1-based, the column counting bytes from
 * the start of the line, followed by the 1-based cell number.
 */
final class CsvReader {

    /** One line may be at most 1 MiB: 100 000 numeric cells, far wider than any MLP input. */
    static final int MAX_LINE_BYTES = 1 << 20;

    private static final int MAX_QUOTED_IN_MESSAGE = 40;
    private static final int READ_CHUNK_BYTES = 1 << 16;

    /** All cells of a file, row-major; {@code header} is true when line 1 was a header. */
    record Table(String file, int rows, int columns, float[] cells, boolean header) {

        float cell(int row, int column) {
            return cells[row * columns + column];
        }
    }

    private final DataFileInput in;
    private final int maxCells;
    private final byte[] chunk = new byte[READ_CHUNK_BYTES];
    private int chunkPosition;
    private int chunkLimit;
    private boolean contentEnded;

    private byte[] line = new byte[1 << 12];
    private int lineLength;
    private int lineNumber;

    /** Cell bounds of the current line: start and end offsets within {@code line}. */
    private int[] cellStarts = new int[64];
    private int[] cellEnds = new int[64];
    private int cellCount;

    private CsvReader(DataFileInput in, int maxCells) {
        this.in = in;
        this.maxCells = maxCells;
    }

    /** Reads a table with as many columns as its first line has cells. */
    static Table read(DataFileInput in) throws DataFormatException {
        return read(in, -1, Dataset.MAX_VALUES);
    }

    /** Reads a table whose rows must have {@code columns} cells each. */
    static Table read(DataFileInput in, int columns) throws DataFormatException {
        return read(in, columns, Dataset.MAX_VALUES);
    }

    /**
     * @param columns  the cells each row must have, or −1 for as many as the first row has
     * @param maxCells the most cells the table may have in all
     */
    static Table read(DataFileInput in, int columns, int maxCells) throws DataFormatException {
        return new CsvReader(in, maxCells).readTable(columns);
    }

    private Table readTable(int requiredColumns) throws DataFormatException {
        if (!nextNonBlankLine()) {
            throw DataFormatException.at(in.name(), "1:1", "the file is empty; expected rows of numbers");
        }
        splitCells();
        int columns = requiredColumns < 0 ? cellCount : requiredColumns;
        int firstLine = lineNumber;
        boolean header = noCellIsANumber();
        if (header && !nextNonBlankLine()) {
            throw DataFormatException.at(in.name(), (lineNumber + 1) + ":1",
                    "expected rows of numbers after the header on line " + firstLine + ", found the end of the file");
        }
        // Room for 256 rows, but no more than 64 Ki cells before the rows prove they need them.
        float[] cells = new float[(int) Math.min(256L * columns, 1 << 16)];
        int rows = 0;
        do {
            if (header || rows > 0) {
                splitCells();
            }
            if (cellCount != columns) {
                throw DataFormatException.at(in.name(), lineNumber + ":1", "expected " + columns + " cells"
                        + (requiredColumns < 0 ? " as on line " + firstLine : "") + ", found " + cellCount
                        + (requiredColumns >= 0 && cellCount == columns + 1 ? "; if the extra column is the label, remove it" : ""));
            }
            long needed = (long) (rows + 1) * columns;
            if (needed > maxCells) {
                throw DataFormatException.at(in.name(), lineNumber + ":1", "expected at most " + maxCells + " cells in all, found more");
            }
            if (needed > cells.length) {
                cells = Arrays.copyOf(cells, (int) Math.min(maxCells, Math.max(needed, 2L * cells.length)));
            }
            for (int c = 0; c < columns; c++) {
                cells[rows * columns + c] = numberInCell(c);
            }
            rows++;
        } while (nextNonBlankLine());
        return new Table(in.name(), rows, columns, Arrays.copyOf(cells, rows * columns), header);
    }

    /**
     * Whether no cell of the current line is a number: only then is line 1 a header. A line mixing
     * numbers and text is a data row with a defect, and is reported as one.
     */
    private boolean noCellIsANumber() {
        for (int c = 0; c < cellCount; c++) {
            if (!Float.isNaN(CsvNumber.parse(line, cellStarts[c], cellEnds[c]))) {
                return false;
            }
        }
        return true;
    }

    /** The finite float in cell {@code c} of the current line, or the error saying why not. */
    private float numberInCell(int c) throws DataFormatException {
        int start = cellStarts[c];
        int end = cellEnds[c];
        float value = CsvNumber.parse(line, start, end);
        if (Float.isFinite(value)) {
            return value;
        }
        String expected;
        if (start == end) {
            expected = "expected a number, found an empty cell";
        } else if (Float.isInfinite(value)) {
            expected = "expected a number within float range (±3.4e38), found " + quote(start, end);
        } else if (CsvNumber.spellsNonFinite(line, start, end)) {
            expected = "expected a finite number, found " + quote(start, end);
        } else {
            expected = "expected a number, found " + quote(start, end);
        }
        throw DataFormatException.at(in.name(), lineNumber + ":" + (start + 1), "cell " + (c + 1) + ": " + expected);
    }

    /** Finds the cells of the current line, unquoting and trimming each. */
    private void splitCells() throws DataFormatException {
        cellCount = 0;
        int i = 0;
        while (true) {
            while (i < lineLength && isPadding(line[i])) {
                i++;
            }
            int start = i;
            int end;
            if (i < lineLength && line[i] == '"') {
                start = i + 1;
                i = closingQuote(start);
                end = i;
                i++;
                while (i < lineLength && isPadding(line[i])) {
                    i++;
                }
                if (i < lineLength && line[i] != ',') {
                    throw DataFormatException.at(in.name(), lineNumber + ":" + (i + 1),
                            "cell " + (cellCount + 1) + ": expected a comma after the closing quote, found " + quote(i, i + 1));
                }
            } else {
                while (i < lineLength && line[i] != ',') {
                    i++;
                }
                end = i;
                while (end > start && isPadding(line[end - 1])) {
                    end--;
                }
            }
            addCell(start, end);
            if (i >= lineLength) {
                return;
            }
            i++; // the comma
        }
    }

    /** The offset of the quote that closes a quoted cell starting at {@code from} ({@code ""} is an escaped quote). */
    private int closingQuote(int from) throws DataFormatException {
        int i = from;
        while (i < lineLength) {
            if (line[i] == '"') {
                if (i + 1 < lineLength && line[i + 1] == '"') {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        throw DataFormatException.at(in.name(), lineNumber + ":" + from,
                "cell " + (cellCount + 1) + ": expected a closing quote before the end of the line");
    }

    private void addCell(int start, int end) {
        if (cellCount == cellStarts.length) {
            cellStarts = Arrays.copyOf(cellStarts, cellCount * 2);
            cellEnds = Arrays.copyOf(cellEnds, cellCount * 2);
        }
        cellStarts[cellCount] = start;
        cellEnds[cellCount] = end;
        cellCount++;
    }

    /** Advances to the next line holding anything but padding; false at the end of the file. */
    private boolean nextNonBlankLine() throws DataFormatException {
        while (nextLine()) {
            for (int i = 0; i < lineLength; i++) {
                if (!isPadding(line[i])) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Reads the next line into {@code line} without its end; false at the end of the file. */
    private boolean nextLine() throws DataFormatException {
        if (contentEnded && chunkPosition == chunkLimit) {
            return false;
        }
        lineLength = 0;
        lineNumber++;
        boolean sawAny = false;
        while (true) {
            if (chunkPosition == chunkLimit && !fillChunk()) {
                break;
            }
            sawAny = true;
            int newline = indexOfNewline(chunkPosition, chunkLimit);
            int end = newline < 0 ? chunkLimit : newline;
            append(chunkPosition, end);
            if (newline >= 0) {
                chunkPosition = newline + 1;
                break;
            }
            chunkPosition = chunkLimit;
        }
        if (!sawAny) {
            lineNumber--;
            return false;
        }
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        if (lineNumber == 1 && startsWithByteOrderMark()) {
            System.arraycopy(line, 3, line, 0, lineLength - 3);
            lineLength -= 3;
        }
        return true;
    }

    private boolean fillChunk() throws DataFormatException {
        if (contentEnded) {
            return false;
        }
        int n = in.read(chunk, 0, chunk.length);
        if (n < 0) {
            contentEnded = true;
            chunkPosition = chunkLimit = 0;
            return false;
        }
        chunkPosition = 0;
        chunkLimit = n;
        return true;
    }

    private int indexOfNewline(int from, int to) {
        for (int i = from; i < to; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(int from, int to) throws DataFormatException {
        int n = to - from;
        if (lineLength + n > MAX_LINE_BYTES) {
            throw DataFormatException.at(in.name(), lineNumber + ":" + (MAX_LINE_BYTES + 1),
                    "expected a line of at most " + MAX_LINE_BYTES + " bytes, found a longer one");
        }
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(lineLength + n, 2 * line.length)));
        }
        System.arraycopy(chunk, from, line, lineLength, n);
        lineLength += n;
    }

    private boolean startsWithByteOrderMark() {
        return lineLength >= 3 && (line[0] & 0xff) == 0xef && (line[1] & 0xff) == 0xbb && (line[2] & 0xff) == 0xbf;
    }

    private static boolean isPadding(byte b) {
        return b == ' ' || b == '\t';
    }

    /**
     * The text of {@code line[start, end)} in quotes, shortened, for a {@link DataFormatException}
     * message (which escapes its control characters).
     */
    private String quote(int start, int end) {
        int shown = Math.min(end - start, MAX_QUOTED_IN_MESSAGE);
        return "\"" + new String(line, start, shown, StandardCharsets.UTF_8) + (shown < end - start ? "…\"" : "\"");
    }
}
