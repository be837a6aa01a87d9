package dev.bp4j.opencl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which tiles a product gets, and the text the tuning cache stores; no OpenCL device needed. */
class GemmTileSetTest {

    /** An H200 as its OpenCL driver describes it: 132 compute units, 48 KiB local memory. */
    private static final OpenClDevice H200 = new OpenClDevice(0, null, null, "NVIDIA CUDA", "NVIDIA H200", "GPU", true, 132,
            150L << 30, 35L << 30, 48 << 10, 1024, "OpenCL 3.0 CUDA", "580.159.04");
    private static final OpenClDevice TWO_CORE_CPU = new OpenClDevice(0, null, null, "Portable Computing Language", "cpu",
            "CPU", false, 2, 20L << 30, 8L << 30, 512 << 10, 4096, "OpenCL 3.0 PoCL", "3.1");

    private final GemmTileSet tiles = GemmTileSet.defaultFor(H200);

    @Test
    void eachProductTakesTheLargestTilesThatStillGiveEveryComputeUnitABlock() {
        // 4096²: 1024 large blocks.
        assertEquals(tiles.large(), tiles.forProduct(4096, 4096, 132));
        // 1024²: 64 large blocks would idle half the units; 256 medium ones do not.
        assertEquals(tiles.medium(), tiles.forProduct(1024, 1024, 132));
        // A batch-128 layer, 128 × 256: even medium blocks are only 8.
        assertEquals(GemmParameters.SMALL, tiles.forProduct(128, 256, 132));
        // Two compute units: two large blocks fill them.
        GemmTileSet cpu = GemmTileSet.defaultFor(TWO_CORE_CPU);
        assertEquals(cpu.large(), cpu.forProduct(1000, 65, 2));
        assertEquals(GemmParameters.SMALL, cpu.forProduct(33, 7, 2));
    }

    @Test
    void textRoundTripsWithEveryStaging() {
        for (GemmParameters.Staging staging : GemmParameters.Staging.values()) {
            GemmTileSet set = new GemmTileSet(new GemmParameters(128, 128, 8, 8, 8, staging), new GemmParameters(64, 64, 32, 8, 8));
            assertEquals(set, GemmTileSet.parse(set.text(), "test", H200));
        }
        assertEquals("128x128x8/8x8/prefetch 64x64x32/8x8/prefetch", tiles.text());
    }

    @Test
    void anEntryOfOneShapeKeepsTheDefaultMedium() {
        GemmTileSet parsed = GemmTileSet.parse("128x128x16/8x8", "cache", H200);
        assertEquals(new GemmParameters(128, 128, 16, 8, 8), parsed.large());
        assertEquals(tiles.medium(), parsed.medium());
    }

    @Test
    void malformedEntriesNameTheSourceAndTheExpectedForm() {
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class,
                () -> GemmTileSet.parse("64x64x16/4x4 32x32x16/4x4 32x32x8/4x4", "cache, key 'h200'", H200));
        assertTrue(three.getMessage().startsWith("cache, key 'h200': expected one or two gemm tile shapes"), three.getMessage());
        IllegalArgumentException uneven = assertThrows(IllegalArgumentException.class,
                () -> GemmTileSet.parse("64x64x4/4x4/double-buffer", "cache", H200));
        assertTrue(uneven.getMessage().contains("multiples of the work-group size"), uneven.getMessage());
    }
}
