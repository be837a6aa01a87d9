package dev.bp4j.cpu.gemm;

/**
 * Products with only a handful of outputs (a row times a column, the divergence monitor's
 * folds of its accumulators into one number) as one dot product per element of C, read in
 * place. The packed path would pad a 1 × 1 result to a full micro-tile, pack a zero-filled
 * 32-wide panel of B and hand the work to the pool: microseconds of overhead for what is a
 * few hundred multiply-adds. Sums run in float64 in k order, so results are
 * deterministic and at least as accurate as the packed path's.
 */
final class DotProductGemm {

    /** Products with at most this many elements of C take this path, however long k is. */
    static final int FEW_OUTPUTS = 16;

    private DotProductGemm() {
    }

    static boolean suits(GemmOperands op) {
        return (long) op.m() * op.n() <= FEW_OUTPUTS;
    }

    static void multiply(GemmOperands op) {
        float[] a = op.a();
        float[] b = op.b();
        float[] c = op.c();
        // Element (i, p) of op(A) is at a[i·rowStepA + p·depthStepA]; likewise for op(B) by (p, j).
        int rowStepA = op.transposeA() ? 1 : op.lda();
        int depthStepA = op.transposeA() ? op.lda() : 1;
        int depthStepB = op.transposeB() ? 1 : op.ldb();
        int colStepB = op.transposeB() ? op.ldb() : 1;
        for (int i = 0; i < op.m(); i++) {
            int rowAt = i * op.ldc();
            for (int j = 0; j < op.n(); j++) {
                double dot = 0;
                int ap = i * rowStepA;
                int bp = j * colStepB;
                for (int p = 0; p < op.k(); p++, ap += depthStepA, bp += depthStepB) {
                    dot += (double) a[ap] * b[bp];
                }
                // k = 0 leaves β·C, whatever α is, as the packed path does.
                float product = op.k() == 0 ? 0f : (float) (op.alpha() * dot);
                // β = 0 never reads C, so a NaN there does not survive (as in BLAS).
                c[rowAt + j] = op.beta() == 0f ? product : product + op.beta() * c[rowAt + j];
            }
            if (op.epilogue() != Epilogue.NONE) {
                op.epilogue().apply(c, rowAt, i, 0, op.n());
            }
        }
    }
}
