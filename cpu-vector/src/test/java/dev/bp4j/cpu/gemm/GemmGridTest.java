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
    void withTooFewTilesThatWayTheGridThatPacksLeastIsTaken() {
        GemmGrid grid = GemmGrid.of(2, MicroKernel.ROWS, 4 * MicroKernel.COLS, GemmGrid.Split.ROWS);
        assertEquals(GemmGrid.of(2, MicroKernel.ROWS, 4 * MicroKernel.COLS), grid);
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
