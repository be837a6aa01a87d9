package dev.bp4j.trainer.data;

import static dev.bp4j.trainer.data.IdxBytes.gzip;
import static dev.bp4j.trainer.data.IdxBytes.idx;
import static dev.bp4j.trainer.data.IdxBytes.images;
import static dev.bp4j.trainer.data.IdxBytes.labels;
import static dev.bp4j.trainer.data.IdxBytes.prefix;
import static dev.bp4j.trainer.data.IdxBytes.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each defect an IDX file can have, and the one-line message that names it. */
class IdxReaderTest {

    @TempDir
    Path dir;

    private String imagesError(byte[] content) {
        Path file = write(dir.resolve("images.idx"), content);
        DataFormatException e = assertThrows(DataFormatException.class, () -> {
            try (DataFileInput in = DataFileInput.open(file)) {
                IdxReader.readImages(in);
            }
        });
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    private String labelsError(byte[] content, int classLimit) {
        Path file = write(dir.resolve("labels.idx"), content);
        DataFormatException e = assertThrows(DataFormatException.class, () -> {
            try (DataFileInput in = DataFileInput.open(file)) {
                IdxReader.readLabels(in, classLimit);
            }
        });
        return e.getMessage();
    }

    private String file() {
        return dir.resolve("images.idx").toString();
    }

    @Test
    void readsWhatWasWrittenPlainAndGzipped() throws DataFormatException {
        byte[] content = images(3, 2, 5, 42);
        for (byte[] stored : new byte[][] {content, gzip(content)}) {
            Path file = write(dir.resolve("round-trip"), stored);
            try (DataFileInput in = DataFileInput.open(file)) {
                IdxReader.Images read = IdxReader.readImages(in);
                assertEquals(3, read.count());
                assertEquals(2, read.rows());
                assertEquals(5, read.columns());
                float[] expected = new float[30];
                for (int i = 0; i < 30; i++) {
                    expected[i] = content[16 + i] & 0xff;
                }
                assertArrayEquals(expected, read.pixels());
            }
        }
    }

    @Test
    void wrongMagicNumberSaysWhatTheFileIs() {
        assertEquals(file() + ":byte 0: expected the IDX magic number 0x00000803 of images (count, rows, columns), "
                + "found 0x00000801 (a labels file)", imagesError(labels(1, 2, 3)));
        assertEquals(file() + ":byte 0: expected the IDX magic number 0x00000803 of images (count, rows, columns), "
                + "found 0x89504E47", imagesError(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0}));
    }

    @Test
    void elementTypesOtherThanUnsignedByteAreRejected() {
        byte[] floats = idx(0x0000_0D03, new int[] {1, 1, 1}, new byte[4]);
        assertEquals(file() + ":byte 0: expected the IDX magic number 0x00000803 of images (count, rows, columns), "
                + "found 0x00000D03 (element type 0x0D; only 0x08, unsigned byte, is supported)", imagesError(floats));
    }

    @Test
    void negativeAndZeroDimensionsAreRejected() {
        assertEquals(file() + ":byte 4: expected a dimension ≥ 0, found -1 (0xFFFFFFFF)",
                imagesError(idx(IdxReader.IMAGES_MAGIC, new int[] {-1, 28, 28}, new byte[0])));
        assertEquals(file() + ":byte 12: expected a dimension ≥ 0, found -2147483648 (0x80000000)",
                imagesError(idx(IdxReader.IMAGES_MAGIC, new int[] {1, 28, Integer.MIN_VALUE}, new byte[0])));
        assertEquals(file() + ":byte 4: expected at least one sample, found a count of 0",
                imagesError(idx(IdxReader.IMAGES_MAGIC, new int[] {0, 28, 28}, new byte[0])));
        assertEquals(file() + ":byte 8: expected a row count from 1 to 4096, found 0",
                imagesError(idx(IdxReader.IMAGES_MAGIC, new int[] {1, 0, 28}, new byte[0])));
    }

    @Test
    void absurdDimensionsAreRejectedBeforeAnythingIsAllocated() {
        assertEquals(file() + ":byte 12: expected a column count from 1 to 4096, found 100000",
                imagesError(idx(IdxReader.IMAGES_MAGIC, new int[] {1, 28, 100_000}, new byte[0])));
        // 2³¹−1 images of 4096×4096 pixels: the byte count overflows an int many times over.
        assertEquals(file() + ":byte 4: the header declares 2147483647 images of 4096×4096 (36028797002186752 values); "
                + "expected at most 268435456",
                imagesError(gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {Integer.MAX_VALUE, 4096, 4096}, new byte[0]))));
        // Just over the cap: 2¹⁶ + 1 images of 64×64 pixels.
        assertEquals(file() + ":byte 4: the header declares 65537 images of 64×64 (268439552 values); expected at most 268435456",
                imagesError(gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {65537, 64, 64}, new byte[0]))));
    }

    @Test
    void truncationIsReportedWhereTheFileEnds() {
        byte[] valid = images(2, 2, 2, 1); // 16 header bytes + 8 pixels
        assertEquals(file() + ":byte 0: the file ends here; expected a 4-byte IDX magic number", imagesError(new byte[0]));
        assertEquals(file() + ":byte 6: the file ends here; expected the 3 dimensions of the IDX header",
                imagesError(prefix(valid, 6)));
        assertEquals(file() + ":byte 21: the file ends here; expected 2 images of 2×2 (8 bytes from byte 16)",
                imagesError(prefix(valid, 21)));
        assertEquals(file() + ":byte 21: the file ends here; expected 2 images of 2×2 (8 bytes from byte 16)",
                imagesError(gzip(prefix(valid, 21))));
    }

    @Test
    void aTruncatedOrCorruptGzipStreamIsNamed() {
        byte[] stored = gzip(images(50, 20, 20, 7));
        String truncated = imagesError(prefix(stored, stored.length / 2));
        assertTrue(truncated.matches("\\Q" + file() + "\\E:byte \\d+: the gzip stream ends early: the file is truncated"),
                truncated);
        byte[] badBlock = stored.clone();
        badBlock[10] = 0x07; // the first deflate block header: final block of the reserved type 3
        assertEquals(file() + ":byte 0: corrupt gzip data (invalid block type)", imagesError(badBlock));
        byte[] badChecksum = stored.clone();
        badChecksum[stored.length - 8] ^= 1; // the CRC-32 in the gzip trailer
        assertEquals(file() + ":byte 20016: corrupt gzip data (Corrupt GZIP trailer)", imagesError(badChecksum));
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] valid = images(2, 2, 2, 1);
        byte[] longer = Arrays.copyOf(valid, valid.length + 3);
        assertEquals(file() + ":byte 24: expected the end of the file after 2 images of 2×2, found 3 more bytes",
                imagesError(longer));
        assertEquals(file() + ":byte 24: expected the end of the file after 2 images of 2×2, found more bytes",
                imagesError(gzip(longer)));
    }

    @Test
    void aSmallGzipFileCannotDeclareAHugePayload() {
        // 10 000 images of 100×100 = 100 MB cannot come out of a gzip file of a few dozen bytes.
        byte[] bomb = gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {10_000, 100, 100}, new byte[100]));
        assertEquals(file() + ":byte 4: the header declares 10000 images of 100×100 (100000000 bytes), "
                + "more than this compressed file can hold: it is truncated or corrupt", imagesError(bomb));
    }

    @Test
    void aGzipBombIsReadOnlyAsFarAsTheHeaderDeclares() throws IOException {
        // One 1×1 image declared, then 64 MiB of zeros that compress to about 64 KiB.
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(stored)) {
            gz.write(idx(IdxReader.IMAGES_MAGIC, new int[] {1, 1, 1}, new byte[1]));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        long start = System.nanoTime();
        assertEquals(file() + ":byte 17: expected the end of the file after 1 image of 1×1, found more bytes",
                imagesError(stored.toByteArray()));
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "stopped reading at the declared size");
    }

    @Test
    void labelsOutOfRangeAreNamedByOffset() {
        assertEquals(dir.resolve("labels.idx") + ":byte 10: expected a label from 0 to 9, found 12",
                labelsError(labels(3, 9, 12, 0), 10));
        assertEquals(dir.resolve("labels.idx") + ":byte 0: expected the IDX magic number 0x00000801 of labels (count), "
                + "found 0x00000803 (an images file)", labelsError(images(1, 1, 1, 1), 10));
    }
}
