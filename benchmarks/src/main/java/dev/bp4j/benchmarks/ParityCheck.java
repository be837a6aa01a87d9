package dev.bp4j.benchmarks;

/**
 * Compares what the backend under test computed with what the reference backend computed, and
 * refuses to go on to timing when they differ: a fast wrong result is not a benchmark result.
 *
 * <p>Tolerances follow the contract suite: a sum of k products may differ by (k + 4)·ε times
 * the sum of the absolute values of its terms (ε = 2⁻²³), so summation order is free but a
 * wrong element is not; elementwise functions get 1e-6 absolute plus 1e-5 relative.
 */
final class ParityCheck {

    static final double FLOAT_EPSILON = Math.ulp(1.0f);
    static final double ELEMENTWISE_ABSOLUTE = 1e-6;
    static final double ELEMENTWISE_RELATIVE = 1e-5;

    private final String trial;

    /** @param trial names the benchmark and its parameters in the error */
    ParityCheck(String trial) {
        this.trial = trial;
    }

    /** The allowed error of a float32 sum of k terms whose absolute values add up to magnitude. */
    static double sumTolerance(int k, double magnitude) {
        return (k + 4) * FLOAT_EPSILON * magnitude + Float.MIN_NORMAL;
    }

    /** Every element within the elementwise tolerance of the reference. */
    void elementwise(String operation, int cols, float[] reference, float[] actual) {
        requireSameLength(operation, reference, actual);
        for (int i = 0; i < reference.length; i++) {
            double allowed = ELEMENTWISE_ABSOLUTE + ELEMENTWISE_RELATIVE * Math.abs(reference[i]);
            compare(operation, i / cols, i % cols, reference[i], allowed, actual[i]);
        }
    }

    /** Every element within its own allowed error of the reference. */
    void within(String operation, int cols, float[] reference, double[] allowed, float[] actual) {
        requireSameLength(operation, reference, actual);
        for (int i = 0; i < reference.length; i++) {
            compare(operation, i / cols, i % cols, reference[i], allowed[i], actual[i]);
        }
    }

    /** One element: fails naming the trial, the operation and the position. */
    void compare(String operation, int row, int col, double expected, double allowed, float actual) {
        double error = Math.abs(actual - expected);
        // Written so that a NaN in the result fails too.
        if (!(error <= allowed)) {
            throw new IllegalStateException(trial + ": " + operation + " element (" + row + ", " + col + ") is "
                    + actual + ", the reference gives " + expected + " ± " + allowed
                    + "; refusing to time a backend that computes a wrong result");
        }
    }

    private void requireSameLength(String operation, float[] reference, float[] actual) {
        if (reference.length != actual.length) {
            throw new IllegalStateException(trial + ": " + operation + " gave " + actual.length
                    + " elements, the reference " + reference.length);
        }
    }
}
