package dev.bp4j.trainer.data;

import static dev.bp4j.trainer.data.IdxBytes.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What the CSV reader accepts, and the one-line message for each defect it refuses. */
class CsvReaderTest {

    private static final String NAME = "t.csv";

    private static DataFileInput input(byte[] stored) throws DataFormatException {
        return DataFileInput.of(NAME, new ByteArrayInputStream(stored), stored.length);
    }

    private static CsvReader.Table read(String text) throws DataFormatException {
        try (DataFileInput in = input(text.getBytes(StandardCharsets.UTF_8))) {
            return CsvReader.read(in);
        }
    }

    private static String error(String text) {
        return error(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(byte[] stored) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> {
            try (DataFileInput in = input(stored)) {
                CsvReader.read(in);
            }
        });
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsNumbersInEverySpellingItAccepts() throws DataFormatException {
        CsvReader.Table table = read("1,-2.5,+3e2,.25,4.,-1E-1\n0,0,0,0,0,0\n");
        assertEquals(2, table.rows());
        assertEquals(6, table.columns());
        assertFalse(table.header());
        assertArrayEquals(new float[] {1, -2.5f, 300, 0.25f, 4, -0.1f, 0, 0, 0, 0, 0, 0}, table.cells());
    }

    @Test
    void acceptsHeaderBomCrlfPaddingQuotesAndBlankLines() throws DataFormatException {
        String text = "\uFEFFx,\"y, the second\",label\r\n\r\n 1 ,\t2,\"3\"\r\n\n4,5,6\r\n\n";
        CsvReader.Table table = read(text);
        assertTrue(table.header());
        assertEquals(2, table.rows());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, table.cells());
    }

    @Test
    void readsGzippedCsv() throws DataFormatException {
        byte[] stored = gzip("1,2\n3,4\n".getBytes(StandardCharsets.US_ASCII));
        try (DataFileInput in = input(stored)) {
            assertArrayEquals(new float[] {1, 2, 3, 4}, CsvReader.read(in).cells());
        }
    }

    @Test
    void integersBeyondTheFastPathAndLongDecimalsRoundCorrectly() throws DataFormatException {
        String big = "123456789012345678901234567890";
        String precise = "0.1000000000000000055511151231257827";
        CsvReader.Table table = read(big + "," + precise + "\n");
        assertEquals(Float.parseFloat(big), table.cell(0, 0));
        assertEquals(Float.parseFloat(precise), table.cell(0, 1));
    }

    @Test
    void nonNumericCellsAreNamedByLineColumnAndCell() {
        assertEquals("t.csv:2:5: cell 3: expected a number, found \"abc\"", error("1,2,3\n1,2,abc\n"));
        assertEquals("t.csv:2:3: cell 2: expected a number, found \"1f\"", error("1,2\n3,1f\n"));
        assertEquals("t.csv:2:3: cell 2: expected a number, found \"0x1p3\"", error("1,2\n3,0x1p3\n"));
        assertEquals("t.csv:2:1: cell 1: expected a number, found \"1e\"", error("1,2\n1e,3\n"));
        assertEquals("t.csv:2:1: cell 1: expected a number, found \"\\x00\\x01\\x1B\"", error("1,2\n\0\1\u001b,3\n"));
    }

    @Test
    void nonFiniteCellsAreRefused() {
        assertEquals("t.csv:2:3: cell 2: expected a finite number, found \"NaN\"", error("1,2\n3,NaN\n"));
        assertEquals("t.csv:2:1: cell 1: expected a finite number, found \"-Infinity\"", error("1,2\n-Infinity,1\n"));
        assertEquals("t.csv:1:3: cell 2: expected a number within float range (±3.4e38), found \"1e39\"",
                error("1,1e39\n"));
    }

    @Test
    void emptyCellsAreRefused() {
        assertEquals("t.csv:2:3: cell 2: expected a number, found an empty cell", error("1,2,3\n1,,3\n"));
        assertEquals("t.csv:1:5: cell 3: expected a number, found an empty cell", error("1,2,\n"));
    }

    @Test
    void raggedRowsAreRefused() {
        assertEquals("t.csv:3:1: expected 3 cells as on line 1, found 2", error("1,2,3\n4,5,6\n7,8\n"));
        assertEquals("t.csv:3:1: expected 2 cells as on line 1, found 3", error("a,b\n1,2\n1,2,3\n"));
    }

    @Test
    void hugeLinesAreRefusedWithoutBeingHeld() {
        byte[] line = new byte[CsvReader.MAX_LINE_BYTES + 10];
        Arrays.fill(line, (byte) '1');
        assertEquals("t.csv:1:1048577: expected a line of at most 1048576 bytes, found a longer one", error(line));
    }

    @Test
    void tooManyCellsAndTooMuchContentAreRefused() {
        DataFormatException cells = assertThrows(DataFormatException.class, () -> {
            try (DataFileInput in = input("1,2,3\n4,5,6\n7,8,9\n10,11,12\n".getBytes(StandardCharsets.US_ASCII))) {
                CsvReader.read(in, -1, 10);
            }
        });
        assertEquals("t.csv:4:1: expected at most 10 cells in all, found more", cells.getMessage());
        // A gzip bomb: 64 KiB of content from a gzip file of a few hundred bytes, against a 4 KiB cap.
        byte[] bomb = gzip("0,0\n".repeat(1 << 14).getBytes(StandardCharsets.US_ASCII));
        DataFormatException content = assertThrows(DataFormatException.class, () -> {
            try (DataFileInput in = DataFileInput.of(NAME, new ByteArrayInputStream(bomb), bomb.length, 4096)) {
                CsvReader.read(in);
            }
        });
        assertEquals("t.csv:byte 4096: expected at most 4096 bytes of content, found more", content.getMessage());
    }

    @Test
    void emptyFilesAndHeaderOnlyFilesAreRefused() {
        assertEquals("t.csv:1:1: the file is empty; expected rows of numbers", error(""));
        assertEquals("t.csv:1:1: the file is empty; expected rows of numbers", error("\n \n\t\n"));
        assertEquals("t.csv:2:1: expected rows of numbers after the header on line 1, found the end of the file",
                error("x,y\n"));
        assertEquals("t.csv:2:1: expected rows of numbers after the header on line 1, found the end of the file",
                error("x,y"));
    }

    @Test
    void anUnterminatedQuoteIsRefused() {
        assertEquals("t.csv:2:3: cell 2: expected a closing quote before the end of the line", error("1,2\n1,\"2\n"));
        assertEquals("t.csv:1:6: cell 1: expected a comma after the closing quote, found \"x\"", error("\"1.5\"x,2\n"));
    }

    @Test
    void aRequiredColumnCountIsEnforcedFromTheFirstRow() throws DataFormatException {
        DataFormatException e = assertThrows(DataFormatException.class, () -> {
            try (DataFileInput in = input("f1,f2\n1,2,3\n".getBytes(StandardCharsets.US_ASCII))) {
                CsvReader.read(in, 2);
            }
        });
        assertEquals("t.csv:2:1: expected 2 cells, found 3; if the extra column is the label, remove it", e.getMessage());
        try (DataFileInput in = input("1,2\n3,4".getBytes(StandardCharsets.US_ASCII))) {
            assertArrayEquals(new float[] {1, 2, 3, 4}, CsvReader.read(in, 2).cells());
        }
    }
}
