package dev.bp4j.trainer.data;

import java.util.Arrays;
import java.util.List;

/**
 * The affine map x′ⱼ = (xⱼ − offsetⱼ) · scaleⱼ applied to every sample's features. It is fitted
 * on the training set, applied to every set, and saved in model files so predictions see the
 * features the network was trained on.
 *
 * @param method one of {@link #METHODS}: how offset and scale were obtained
 */
public record FeatureScaling(String method, float[] offset, float[] scale) {

    public static final String NONE = "none";
    /** Each feature mapped onto [0, 1] by the training set's minimum and maximum. */
    public static final String MIN_MAX = "minmax";
    /** Each feature to zero mean and unit variance over the training set. */
    public static final String STANDARD = "standard";
    /** Pixels 0..255 to [0, 1], the natural scaling of IDX images. */
    public static final String DIVIDE_BY_255 = "divide-by-255";
    /** Pixels 0..16 to [0, 1], the natural scaling of the digits data set. */
    public static final String DIVIDE_BY_16 = "divide-by-16";

    public static final List<String> METHODS = List.of(NONE, MIN_MAX, STANDARD, DIVIDE_BY_255, DIVIDE_BY_16);

    public FeatureScaling {
        if (offset.length != scale.length) {
            throw new IllegalArgumentException("scaling " + method + ": " + offset.length + " offsets but " + scale.length + " scales");
        }
    }

    public static FeatureScaling identity(int featureCount) {
        return constant(NONE, featureCount, 1f);
    }

    /**
     * Fits {@code method} (one of {@link #METHODS}) on {@code train}'s features. A feature that is
     * constant over the training set keeps scale 1, so it maps to 0 instead of to infinity.
     */
    public static FeatureScaling fit(String method, Dataset train) {
        int n = train.featureCount();
        return switch (method) {
            case NONE -> identity(n);
            case DIVIDE_BY_255 -> constant(method, n, 1f / 255);
            case DIVIDE_BY_16 -> constant(method, n, 1f / 16);
            case MIN_MAX -> fitMinMax(train);
            case STANDARD -> fitStandard(train);
            default -> throw new IllegalArgumentException("unknown feature scaling \"" + method + "\": expected one of " + METHODS);
        };
    }

    public int featureCount() {
        return offset.length;
    }

    /** Scales rows of {@code features} (row-major, offset.length columns) in place. */
    public void applyInPlace(float[] features) {
        int n = offset.length;
        if (n == 0 ? features.length != 0 : features.length % n != 0) {
            throw new IllegalArgumentException("scaling for " + n + " features cannot apply to " + features.length + " values");
        }
        // In double: x − offset of two large floats of opposite sign would overflow in float.
        for (int row = 0; row < features.length; row += n) {
            for (int j = 0; j < n; j++) {
                features[row + j] = (float) (((double) features[row + j] - offset[j]) * scale[j]);
            }
        }
    }

    private static FeatureScaling constant(String method, int featureCount, float scale) {
        float[] scales = new float[featureCount];
        Arrays.fill(scales, scale);
        return new FeatureScaling(method, new float[featureCount], scales);
    }

    private static FeatureScaling fitMinMax(Dataset train) {
        int n = train.featureCount();
        float[] x = train.features();
        float[] min = new float[n];
        float[] max = new float[n];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        // Row by row in a method of its own, for the reason applyInPlace gives.
        for (int row = 0; row < x.length; row += n) {
            widenRange(x, row, min, max);
        }
        float[] scale = new float[n];
        for (int j = 0; j < n; j++) {
            scale[j] = reciprocalOrOne((double) max[j] - min[j]);
            if (!Float.isFinite(min[j])) {
                min[j] = 0; // no training samples: nothing to centre on
            }
        }
        return new FeatureScaling(MIN_MAX, min, scale);
    }

    private static FeatureScaling fitStandard(Dataset train) {
        int n = train.featureCount();
        float[] x = train.features();
        int samples = train.sampleCount();
        // Two passes in double: the one-pass formula loses all precision when |mean| ≫ deviation.
        // Row by row in methods of their own, for the reason applyInPlace gives.
        double[] mean = new double[n];
        for (int row = 0; row < x.length; row += n) {
            addRow(x, row, mean);
        }
        for (int j = 0; j < n; j++) {
            mean[j] = samples == 0 ? 0 : mean[j] / samples;
        }
        double[] squares = new double[n];
        for (int row = 0; row < x.length; row += n) {
            addSquaredDeviations(x, row, mean, squares);
        }
        float[] offset = new float[n];
        float[] scale = new float[n];
        for (int j = 0; j < n; j++) {
            double deviation = samples == 0 ? 0 : Math.sqrt(squares[j] / samples);
            offset[j] = (float) mean[j];
            scale[j] = reciprocalOrOne(deviation);
        }
        return new FeatureScaling(STANDARD, offset, scale);
    }

    private static void widenRange(float[] x, int at, float[] min, float[] max) {
        for (int j = 0; j < min.length; j++) {
            min[j] = Math.min(min[j], x[at + j]);
            max[j] = Math.max(max[j], x[at + j]);
        }
    }

    private static void addRow(float[] x, int at, double[] sums) {
        for (int j = 0; j < sums.length; j++) {
            sums[j] += x[at + j];
        }
    }

    private static void addSquaredDeviations(float[] x, int at, double[] mean, double[] squares) {
        for (int j = 0; j < squares.length; j++) {
            double d = x[at + j] - mean[j];
            squares[j] += d * d;
        }
    }

    /** 1 / spread, or 1 where the feature does not vary enough for that to be a finite float. */
    private static float reciprocalOrOne(double spread) {
        float reciprocal = (float) (1 / spread);
        return spread > 0 && Float.isFinite(reciprocal) ? reciprocal : 1f;
    }
}
