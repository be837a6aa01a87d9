package dev.bp4j.trainer.data;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Turns what the user named with {@code --data} into a scaled training and test set, and reads the
 * feature rows {@code bp4j predict} is given. Every defect in a file is a
 * {@link DataFormatException} with a one-line message naming the file and the position.
 */
public final class DataSources {

    public static final String DIGITS = "digits";
    public static final String XOR = "xor";
    public static final String FASHION_MNIST = FashionMnist.NAME;
    public static final String AUTO_SCALING = "auto";
    /** The scalings a user may ask for; {@code auto} picks the source's natural one. */
    public static final List<String> SCALINGS = List.of(AUTO_SCALING, FeatureScaling.NONE, FeatureScaling.MIN_MAX,
            FeatureScaling.STANDARD);

    private static final String DIGITS_RESOURCE = "digits.csv.gz";

    private DataSources() {
    }

    /**
     * Loads the source, splits it when it has no test part, fits the requested scaling on the
     * training set and applies it to both sets.
     *
     * @throws DataFormatException      the data is missing or malformed (message: file, position, problem)
     * @throws IllegalArgumentException the request itself is invalid: an unknown scaling, or a
     *                                  test fraction outside (0, 1)
     */
    public static DataSplit load(DataRequest request) throws DataFormatException {
        return load(request, FashionMnist.usualPlaces());
    }

    /** {@link #load(DataRequest)} with the places Fashion-MNIST is looked for given explicitly. */
    static DataSplit load(DataRequest request, List<Path> fashionMnistPlaces) throws DataFormatException {
        String scaling = request.scaling() == null ? AUTO_SCALING : request.scaling().toLowerCase(Locale.ROOT);
        if (!SCALINGS.contains(scaling)) {
            throw new IllegalArgumentException("unknown feature scaling \"" + request.scaling() + "\": expected one of " + SCALINGS);
        }
        UnscaledSplit unscaled = loadUnscaled(request, fashionMnistPlaces);
        FeatureScaling fitted = FeatureScaling.fit(scaling.equals(AUTO_SCALING) ? unscaled.naturalScaling() : scaling,
                unscaled.train());
        fitted.applyInPlace(unscaled.train().features());
        if (unscaled.test() != unscaled.train()) { // xor trains and tests on the very same samples
            fitted.applyInPlace(unscaled.test().features());
        }
        return new DataSplit(request.source(), unscaled.train(), unscaled.test(), fitted, unscaled.classification());
    }

    /**
     * Reads the feature rows of a CSV file for prediction: {@code featureCount} numbers per line,
     * no label, an optional header line. The features are returned as written, unscaled.
     *
     * @return rows × featureCount values, row-major
     */
    public static float[] readFeatures(Path csv, int featureCount) throws DataFormatException {
        if (featureCount < 1) {
            throw new IllegalArgumentException("feature count " + featureCount + ": expected at least 1");
        }
        try (DataFileInput in = DataFileInput.open(csv)) {
            return CsvReader.read(in, featureCount).cells();
        }
    }

    /** The sources and scalings {@code --data} and {@code --scaling} accept, for {@code --help}. */
    public static String describeSources() {
        return """
                Data sources (--data):
                  digits           embedded: 1797 handwritten digits, 8x8 pixels 0..16, 10 classes
                                   (UCI, E. Alpaydin and C. Kaynak 1998, CC BY 4.0); a seeded test part is held out
                  xor              the four points of exclusive or (2 inputs, 1 output); tests on the same points
                  fashion-mnist    60000 + 10000 images, 28x28, 10 classes, looked for in
                                   /usr/share/datasets/fashion-mnist, ~/.cache/bp4j/fashion-mnist, ./data/fashion-mnist
                                   (%s)
                  FOLDER           four MNIST-style IDX files, gzipped or not: train-images-idx3-ubyte,
                                   train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte
                  FILE.csv[.gz]    numbers separated by commas, an optional header line; one column is the label
                                   (the last unless told otherwise); whole labels 0..%d are classes, others a
                                   regression target; a seeded test part is held out
                Feature scaling (--scaling), fitted on the training set:
                  auto             the source's natural one: pixels/255 for IDX, /16 for digits, none for xor,
                                   standard for CSV
                  none | minmax | standard
                """.formatted(FashionMnist.INSTALL_HINT, CsvSource.MAX_CLASSES - 1);
    }

    private static UnscaledSplit loadUnscaled(DataRequest request, List<Path> fashionMnistPlaces) throws DataFormatException {
        String source = request.source();
        if (source == null || source.isBlank()) {
            source = DIGITS;
        }
        switch (source) {
            case DIGITS:
                return loadDigits(request);
            case XOR:
                return XorProblem.load();
            case FashionMnist.NAME:
                return FashionMnist.load(fashionMnistPlaces);
            default:
                break;
        }
        Path path = Path.of(source);
        if (Files.isDirectory(path)) {
            return IdxFolder.load(path, IdxReader.ANY_LABEL);
        }
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) {
            try (DataFileInput in = DataFileInput.open(path)) {
                return CsvSource.load(in, request.labelColumn(), request.testFraction(), request.seed(), FeatureScaling.STANDARD);
            }
        }
        throw new DataFormatException(source + ": " + (Files.exists(path) ? "not a data source" : "no such file or folder")
                + "; expected digits, xor, fashion-mnist, a folder of IDX files or a .csv/.csv.gz file");
    }

    private static UnscaledSplit loadDigits(DataRequest request) throws DataFormatException {
        InputStream stored = DataSources.class.getResourceAsStream(DIGITS_RESOURCE);
        if (stored == null) {
            throw new IllegalStateException("the embedded " + DIGITS_RESOURCE + " is missing from the bp4j jar");
        }
        try (DataFileInput in = DataFileInput.of(DIGITS + " (embedded " + DIGITS_RESOURCE + ")", stored, -1)) {
            return CsvSource.load(in, -1, request.testFraction(), request.seed(), FeatureScaling.DIVIDE_BY_16);
        }
    }
}
