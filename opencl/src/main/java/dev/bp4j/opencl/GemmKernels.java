package dev.bp4j.opencl;

import dev.bp4j.api.Activation;
import java.util.List;

/**
 * Enqueues gemm.cl: picks the tile shape for a product, the program for its transpose case
 * (built on first use, one per shape and case) and the epilogue that fuses a dense layer's
 * elementwise work into the store.
 */
final class GemmKernels {

    private static final List<String> FILES = List.of("activation_functions.h", "gemm.cl");

    /** The epilogue codes of gemm.cl. */
    enum Epilogue {
        PLAIN, BIAS_ACTIVATE, ACTIVATION_BACKWARD
    }

    private final DeviceContext context;
    private final ProgramCache programs;
    private final GemmTileSet tiles;

    GemmKernels(DeviceContext context, ProgramCache programs, GemmTileSet tiles) {
        this.context = context;
        this.programs = programs;
        this.tiles = tiles;
    }

    GemmTileSet tiles() {
        return tiles;
    }

    /**
     * C (m × n) = epilogue(op(A)·op(B)) where A is stored (m × k), or (k × m) when transposed,
     * and B (k × n), or (n × k). {@code bias} and {@code aux} are read only by the epilogues that
     * need them; pass any live buffer otherwise.
     */
    void run(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b,
             float beta, DeviceBuffer c, Epilogue epilogue, Activation f, DeviceBuffer bias, DeviceBuffer aux) {
        run(tiles.forProduct(m, n, context.device().computeUnits()), transposeA, transposeB, m, n, k, alpha, a, b, beta, c,
                epilogue, f, bias, aux);
    }

    void run(GemmParameters shape, boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
             DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c, Epilogue epilogue, Activation f,
             DeviceBuffer bias, DeviceBuffer aux) {
        int lda = transposeA ? m : k;
        int ldb = transposeB ? k : n;
        KernelArguments kernel = programs.kernel(FILES, shape.defines() + " -DTRANSPOSE_A=" + (transposeA ? 1 : 0)
                + " -DTRANSPOSE_B=" + (transposeB ? 1 : 0), "gemm");
        new KernelLaunch(context, kernel)
                .integer(m).integer(n).integer(k).real(alpha).real(beta)
                .buffer(a).integer(lda).integer(lda % 4 == 0 ? 1 : 0)
                .buffer(b).integer(ldb).integer(ldb % 4 == 0 ? 1 : 0)
                .buffer(c).integer(n % 4 == 0 ? 1 : 0)
                .integer(epilogue.ordinal()).integer(activationCode(f))
                .buffer(bias).buffer(aux)
                .over((long) shape.colBlocks(n) * shape.threadsN(), (long) shape.rowBlocks(m) * shape.threadsM(),
                        shape.threadsN(), shape.threadsM());
    }

    /** The ACTIVATION_* codes of activation_functions.h. */
    static int activationCode(Activation f) {
        return switch (f) {
            case IDENTITY -> 0;
            case SIGMOID -> 1;
            case TANH -> 2;
            case RELU -> 3;
        };
    }
}
