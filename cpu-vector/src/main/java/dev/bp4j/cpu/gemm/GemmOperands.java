package dev.bp4j.cpu.gemm;

/**
 * One C = α·op(A)·op(B) + β·C on row-major heap arrays, op(A) (m × k), op(B) (k × n), C (m × n),
 * followed by an {@link Epilogue} on each finished element of C. The leading dimensions are
 * the stored row lengths: A is stored (k × m) when transposed, B (n × k).
 */
public record GemmOperands(boolean transposeA, boolean transposeB, int m, int n, int k,
                    float alpha, float[] a, int lda, float[] b, int ldb,
                    float beta, float[] c, int ldc, Epilogue epilogue) {
}
