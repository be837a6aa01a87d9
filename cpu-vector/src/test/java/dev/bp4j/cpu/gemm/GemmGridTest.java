package dev.bp4j.cpu.gemm;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmGridTest {

    @Test
    void aForcedSplitCutsThatWayWhenThereAreEnoughTiles() {
        GemmGrid rows = GemmGrid.of(2, 256, 784, GemmGrid.Split.ROWS);
        assertEquals(2, rows.rowParts());
        assertEquals(1, rows.colParts());
        GemmGrid columns = GemmGrid.of(2, 1024, 256, GemmGrid.Split.COLUMNS);
        assertEquals(1, columns.rowParts());
        assertEquals(2, columns.colParts());
    }

    @Test
    void withFewerTilesThatWayThanThreadsTheOtherWayIsCutToo() {
        // 784-256-… at 16 threads (at 512 bits: 8 column tiles of the forward product), 2 row bands each.
        int eightTiles = 8 * MicroKernel.COLS;
        GemmGrid forward = GemmGrid.of(16, 1024, eightTiles, GemmGrid.Split.COLUMNS);
        assertEquals(8, forward.colParts());
        assertEquals(2, forward.rowParts());
        // The weight gradient of the output layer: 10 rows of C, one row tile.
        GemmGrid narrow = GemmGrid.of(16, 10, eightTiles, GemmGrid.Split.ROWS);
        assertEquals(1, narrow.rowParts());
        assertEquals(8, narrow.colParts());
        // 12 threads and 8 column tiles: 8 × 1 leaves 4 idle, 6 × 2 uses them all.
        GemmGrid twelve = GemmGrid.of(12, 1024, eightTiles, GemmGrid.Split.COLUMNS);
        assertEquals(12, twelve.parts());
        assertEquals(6, twelve.colParts());
    }

    @Test
    void withOneTileThatWayOnlyTheOtherWayIsCut() {
        GemmGrid grid = GemmGrid.of(2, MicroKernel.ROWS, 4 * MicroKernel.COLS, GemmGrid.Split.ROWS);
        assertEquals(1, grid.rowParts());
        assertEquals(2, grid.colParts());
    }

    @Test
    void theBandsCoverCOnTileBoundaries() {
        int m = 7 * MicroKernel.ROWS + 3;
        int n = 5 * MicroKernel.COLS + 1;
        for (GemmGrid.Split split : GemmGrid.Split.values()) {
            for (int parts = 1; parts <= 4; parts++) {
                GemmGrid grid = GemmGrid.of(parts, m, n, split);
                assertEquals(0, grid.rowStart(0, m));
                assertEquals(m, grid.rowStart(grid.rowParts(), m));
                assertEquals(0, grid.colStart(0, n));
                assertEquals(n, grid.colStart(grid.colParts(), n));
                for (int band = 1; band < grid.rowParts(); band++) {
                    assertEquals(0, grid.rowStart(band, m) % MicroKernel.ROWS, split + " " + parts);
                }
                for (int band = 1; band < grid.colParts(); band++) {
                    assertEquals(0, grid.colStart(band, n) % MicroKernel.COLS, split + " " + parts);
                }
            }
        }
    }

    @Test
    void tileRunsCoverEveryTileOnceAndDifferByAtMostOne() {
        int[][] blocks = {{1, 1}, {1, 7}, {13, 8}, {26, 25}, {26, 8}, {5, 3}, {103, 32}};
        for (GemmGrid.Split split : GemmGrid.Split.values()) {
            for (int[] block : blocks) {
                int rowTiles = block[0];
                int colTiles = block[1];
                for (int threads = 1; threads <= 17; threads++) {
                    GemmGrid grid = GemmGrid.of(threads, rowTiles * MicroKernel.ROWS, colTiles * MicroKernel.COLS, split);
                    int[][] owner = new int[rowTiles][colTiles];
                    int fewest = Integer.MAX_VALUE;
                    int most = 0;
                    int[] run = new int[12];
                    for (int part = 0; part < grid.parts(); part++) {
                        int tiles = 0;
                        int rectangles = grid.tileRun(part, rowTiles, colTiles, run);
                        assertTrue(rectangles <= 3);
                        for (int r = 0; r < 4 * rectangles; r += 4) {
                            assertTrue(run[r] < run[r + 1] && run[r + 2] < run[r + 3], "an empty rectangle");
                            for (int i = run[r]; i < run[r + 1]; i++) {
                                for (int j = run[r + 2]; j < run[r + 3]; j++) {
                                    assertEquals(0, owner[i][j], "tile " + i + "," + j + " taken twice");
                                    owner[i][j] = part + 1;
                                    tiles++;
                                }
                            }
                        }
                        fewest = Math.min(fewest, tiles);
                        most = Math.max(most, tiles);
                    }
                    String where = split + " " + rowTiles + "×" + colTiles + " tiles, " + threads + " threads";
                    for (int[] row : owner) {
                        for (int taken : row) {
                            assertTrue(taken > 0, "a tile nobody multiplies: " + where);
                        }
                    }
                    assertTrue(most - fewest <= 1, where + ": runs of " + fewest + " to " + most + " tiles");
                }
            }
        }
    }

    @Test
    void aGridOfRowBandsRunsAlongRowsOfTiles() {
        // The weight gradient of a 256-wide layer at 16 threads (784 inputs are 25 tiles at 512 bits): 16 row bands.
        GemmGrid grid = GemmGrid.of(16, 256, 25 * MicroKernel.COLS, GemmGrid.Split.ROWS);
        assertEquals(16, grid.rowParts());
        int[] run = new int[12];
        assertEquals(2, grid.tileRun(0, grid.rowTiles(), grid.colTiles(), run));
        // 26 × 25 tiles: part 0 takes row 0 whole and the first 15 tiles of row 1.
        assertEquals(List.of(0, 1, 0, 25, 1, 2, 0, 15), IntStream.of(run).limit(8).boxed().toList());
    }
}
