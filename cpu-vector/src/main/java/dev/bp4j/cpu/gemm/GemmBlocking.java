package dev.bp4j.cpu.gemm;

/**
 * Cache blocking of the GEMM (Goto's scheme). A packed B micro-panel (depth × COLS) is reused
 * across a whole block of A and should stay in L1; a packed A block (rows × depth) is reused
 * across every B micro-panel and should stay in L2; a packed B block (depth × cols) is reused
 * across every block of A.
 *
 * @param depth the k extent of one pass (kc)
 * @param rows  the m extent of a packed A block (mc), a multiple of {@link MicroKernel#ROWS}
 * @param cols  the n extent of a packed B block (nc), a multiple of {@link MicroKernel#COLS}
 */
public record GemmBlocking(int depth, int rows, int cols) {

    /**
     * Measured on an AMD EPYC (Zen 5, 48 KiB L1D, 1 MiB L2) at n = 256, 1024 and the MLP shapes,
     * one thread: kc 512 beat 256, 384 and 1024 (a 64 KiB B micro-panel streams from L2 fast
     * enough, and fewer passes over C pay more); mc 120 beat 60 and 200; nc hardly matters
     * below 4096. See docs/performance.md.
     */
    public static final GemmBlocking DEFAULT = new GemmBlocking(512, 120, 4096);

    public GemmBlocking {
        if (depth < 1 || rows < MicroKernel.ROWS || cols < MicroKernel.COLS) {
            throw new IllegalArgumentException("GEMM blocking (kc=" + depth + ", mc=" + rows + ", nc=" + cols
                    + ") is below one micro-tile (" + MicroKernel.ROWS + " × " + MicroKernel.COLS + ")");
        }
        rows -= rows % MicroKernel.ROWS;
        cols -= cols % MicroKernel.COLS;
    }
}
