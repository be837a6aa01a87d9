package dev.bp4j.benchmarks;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;

import java.util.SplittableRandom;

/**
 * Validates C = op(A)·op(B) before it is timed. Products the scalar reference backend computes
 * in a second or two are compared with it element by element; larger ones (the reference would
 * take minutes at n = 4096) are checked at every corner and at a seeded sample of positions
 * against the same float64 dot product the reference computes.
 */
final class GemmParity {

    /** Multiply-adds up to which the reference backend recomputes the whole product: 512³. */
    static final long FULL_CHECK_LIMIT = 1L << 27;
    static final int SAMPLED_POSITIONS = 4096;

    private GemmParity() {
    }

    static void verify(ParityCheck check, String operation, boolean transposeA, boolean transposeB,
                       HostMatrix a, HostMatrix b, HostMatrix actual) {
        int k = transposeA ? a.rows() : a.cols();
        if ((long) actual.rows() * actual.cols() * k <= FULL_CHECK_LIMIT) {
            verifyWithReferenceBackend(check, operation, transposeA, transposeB, a, b, actual, k);
        } else {
            verifySampled(check, operation, transposeA, transposeB, a, b, actual, k);
        }
    }

    private static void verifyWithReferenceBackend(ParityCheck check, String operation, boolean transposeA,
                                                   boolean transposeB, HostMatrix a, HostMatrix b,
                                                   HostMatrix actual, int k) {
        try (Backend reference = Backends.open("reference")) {
            HostMatrix expected = product(reference, transposeA, transposeB, a, b, actual);
            // The same product of absolute values bounds the terms of each sum, hence its rounding.
            HostMatrix magnitude = product(reference, transposeA, transposeB, a.abs(), b.abs(), actual);
            double[] allowed = new double[expected.values().length];
            for (int i = 0; i < allowed.length; i++) {
                allowed[i] = ParityCheck.sumTolerance(k, magnitude.values()[i]);
            }
            check.within(operation, actual.cols(), expected.values(), allowed, actual.values());
        }
    }

    private static HostMatrix product(Backend reference, boolean transposeA, boolean transposeB,
                                      HostMatrix a, HostMatrix b, HostMatrix shapeOfC) {
        Matrix ma = a.uploadTo(reference);
        Matrix mb = b.uploadTo(reference);
        Matrix mc = reference.allocate(shapeOfC.rows(), shapeOfC.cols());
        reference.gemm(transposeA, transposeB, 1f, ma, mb, 0f, mc);
        return HostMatrix.download(reference, mc);
    }

    private static void verifySampled(ParityCheck check, String operation, boolean transposeA, boolean transposeB,
                                      HostMatrix a, HostMatrix b, HostMatrix actual, int k) {
        int lastRow = actual.rows() - 1;
        int lastCol = actual.cols() - 1;
        // Corners catch edge and tail handling; random positions catch wrong blocking in between.
        int[][] corners = {{0, 0}, {0, lastCol}, {lastRow, 0}, {lastRow, lastCol}};
        for (int[] corner : corners) {
            verifyAt(check, operation, transposeA, transposeB, a, b, actual, k, corner[0], corner[1]);
        }
        SplittableRandom random = new SplittableRandom(k * 31L + actual.rows());
        for (int s = 0; s < SAMPLED_POSITIONS; s++) {
            verifyAt(check, operation, transposeA, transposeB, a, b, actual, k,
                    random.nextInt(actual.rows()), random.nextInt(actual.cols()));
        }
    }

    private static void verifyAt(ParityCheck check, String operation, boolean transposeA, boolean transposeB,
                                 HostMatrix a, HostMatrix b, HostMatrix actual, int k, int row, int col) {
        double sum = 0;
        double magnitude = 0;
        for (int p = 0; p < k; p++) {
            double term = (double) a.at(transposeA, row, p) * b.at(transposeB, p, col);
            sum += term;
            magnitude += Math.abs(term);
        }
        check.compare(operation, row, col, sum, ParityCheck.sumTolerance(k, magnitude), actual.at(row, col));
    }
}
