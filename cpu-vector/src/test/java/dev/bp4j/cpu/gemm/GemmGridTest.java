package dev.bp4j.cpu.gemm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
