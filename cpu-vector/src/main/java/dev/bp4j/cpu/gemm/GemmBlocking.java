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
     * The fastest of the blockings tried on a core with 48 KiB L1D and 1 MiB L2 (square and MLP
     * shapes, docs/performance.md): a deep kc, because a 64 KiB B micro-panel streams from L2
     * fast enough and fewer passes over C pay more; an A block that fits L2 beside it; nc hardly
     * matters below 4096.
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
