package dev.bp4j.trainer.data;

import static dev.bp4j.trainer.data.IdxBytes.gzip;
import static dev.bp4j.trainer.data.IdxBytes.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The named sources, CSV files as data sets, the seeded split and scaling fitted on the training set. */
class DataSourcesTest {

    @TempDir
    Path dir;

    @Test
    void digitsLoads1797SamplesSplitBySeedAndScaledBy16() throws DataFormatException {
        DataSplit split = DataSources.load(DataRequest.of(DataSources.DIGITS));
        assertEquals(1797, split.train().sampleCount() + split.test().sampleCount());
        assertEquals(64, split.train().featureCount());
        assertEquals(10, split.train().targetCount());
        assertTrue(split.classification());
        assertEquals(FeatureScaling.DIVIDE_BY_16, split.scaling().method());
        for (float x : split.train().features()) {
            assertTrue(x >= 0 && x <= 1, "pixels 0..16 scaled into [0, 1]");
        }
        // Stratified: every class gives the test set a fifth of its samples, rounded.
        int[] trainCounts = classCounts(split.train());
        int[] testCounts = classCounts(split.test());
        for (int c = 0; c < 10; c++) {
            assertEquals(Math.round((trainCounts[c] + testCounts[c]) * 0.2), testCounts[c], "class " + c);
        }
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() throws DataFormatException {
        DataSplit first = DataSources.load(DataRequest.of(DataSources.DIGITS));
        DataSplit again = DataSources.load(DataRequest.of(DataSources.DIGITS));
        DataSplit other = DataSources.load(new DataRequest(DataSources.DIGITS, -1, 0.2, 2, "auto"));
        assertArrayEquals(first.test().features(), again.test().features());
        assertArrayEquals(first.test().targets(), again.test().targets());
        assertFalse(Arrays.equals(first.test().features(), other.test().features()));
        DataSplit larger = DataSources.load(new DataRequest(DataSources.DIGITS, -1, 0.5, 1, "auto"));
        assertEquals(898, larger.test().sampleCount(), 5);
    }

    @Test
    void xorIsFourPointsTestedOnThemselves() throws DataFormatException {
        DataSplit split = DataSources.load(new DataRequest(DataSources.XOR, -1, 0.2, 1, "minmax"));
        assertSame(split.train(), split.test());
        assertEquals(4, split.train().sampleCount());
        assertEquals(2, split.train().featureCount());
        assertEquals(1, split.train().targetCount());
        assertTrue(split.classification());
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, split.train().features(), "scaled once, not twice");
        assertArrayEquals(new float[] {0, 1, 1, 0}, split.train().targets());
    }

    @Test
    void csvWithWholeLabelsIsClassificationWithOneHotTargets() throws DataFormatException {
        Path csv = writeCsv("blobs.csv.gz", 200, true, 3);
        DataSplit split = DataSources.load(new DataRequest(csv.toString(), 0, 0.25, 7, "none"));
        assertTrue(split.classification());
        assertEquals(200, split.train().sampleCount() + split.test().sampleCount());
        assertEquals(3, split.train().targetCount());
        assertEquals(2, split.train().featureCount());
        // Label column 0 was taken out; the features are the last two columns, in order.
        for (int i = 0; i < split.train().sampleCount(); i++) {
            float x = split.train().features()[2 * i];
            float y = split.train().features()[2 * i + 1];
            int label = argmax(split.train().targets(), i, 3);
            assertEquals(label * 10 + 1, Math.round(y - x), "row " + i);
        }
    }

    @Test
    void csvWithFractionalLabelsIsRegression() throws DataFormatException {
        Path csv = dir.resolve("line.csv");
        StringBuilder text = new StringBuilder("x,y\n");
        for (int i = 0; i < 10; i++) {
            text.append(i).append(',').append(i * 0.5).append('\n');
        }
        write(csv, text.toString().getBytes(StandardCharsets.US_ASCII));
        DataSplit split = DataSources.load(new DataRequest(csv.toString(), -1, 0.2, 1, "none"));
        assertFalse(split.classification());
        assertEquals(1, split.train().targetCount());
        assertEquals(8, split.train().sampleCount());
        for (int i = 0; i < 8; i++) {
            assertEquals(split.train().features()[i] * 0.5f, split.train().targets()[i]);
        }
    }

    @Test
    void scalingIsFittedOnTheTrainingSetAndAppliedToBoth() throws DataFormatException {
        Path csv = writeCsv("blobs.csv", 400, false, 4);
        DataSplit minmax = DataSources.load(new DataRequest(csv.toString(), -1, 0.3, 3, "minmax"));
        float[] range = columnRange(minmax.train(), 0);
        assertEquals(0, range[0], 1e-6);
        assertEquals(1, range[1], 1e-6);
        DataSplit standard = DataSources.load(new DataRequest(csv.toString(), -1, 0.3, 3, "auto"));
        assertEquals(FeatureScaling.STANDARD, standard.scaling().method());
        Dataset train = standard.train();
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < train.sampleCount(); i++) {
            sum += train.features()[2 * i + 1];
            squares += train.features()[2 * i + 1] * train.features()[2 * i + 1];
        }
        assertEquals(0, sum / train.sampleCount(), 1e-5);
        assertEquals(1, squares / train.sampleCount(), 1e-4);
        // The test set went through the same map: its first feature equals (raw − offset) · scale.
        DataSplit raw = DataSources.load(new DataRequest(csv.toString(), -1, 0.3, 3, "none"));
        FeatureScaling s = standard.scaling();
        assertEquals((raw.test().features()[0] - s.offset()[0]) * s.scale()[0], standard.test().features()[0], 1e-5);
    }

    @Test
    void badRequestsAreIllegalArguments() {
        IllegalArgumentException scaling = assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(new DataRequest(DataSources.XOR, -1, 0.2, 1, "log")));
        assertEquals("unknown feature scaling \"log\": expected one of [auto, none, minmax, standard]", scaling.getMessage());
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> DataSources.load(new DataRequest(DataSources.DIGITS, -1, 1.0, 1, "auto")));
        assertEquals("test fraction 1.0: expected a number between 0 and 1", fraction.getMessage());
    }

    @Test
    void unknownSourcesAndBadLabelColumnsAreNamed() {
        String missing = dir.resolve("missing.csv").toString();
        assertEquals(missing + ": no such file", loadError(missing));
        assertEquals("nonsense: no such file or folder; expected digits, xor, fashion-mnist, a folder of IDX files or "
                + "a .csv/.csv.gz file", loadError("nonsense"));
        Path csv = write(dir.resolve("two.csv"), "1,2\n3,4\n5,6\n".getBytes(StandardCharsets.US_ASCII));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DataSources.load(new DataRequest(csv.toString(), 2, 0.2, 1, "auto")));
        assertEquals(csv + ":1:1: expected a label column from 0 to 1 (or -1 for the last), found 2", e.getMessage());
        Path single = write(dir.resolve("one.csv"), "1\n2\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(single + ":1:1: expected at least 2 columns (features, then a label), found 1", loadError(single.toString()));
        Path tiny = write(dir.resolve("tiny.csv"), "1,0\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(tiny + ": 1 samples are too few to hold out a test fraction of 0.2; expected at least one training "
                + "and one test sample", loadError(tiny.toString()));
    }

    @Test
    void readFeaturesReturnsRowsAsWritten() throws DataFormatException {
        Path csv = write(dir.resolve("input.csv"), "a,b,c\n1,2,3\n4,5,6.5\n".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6.5f}, DataSources.readFeatures(csv, 3));
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataSources.readFeatures(csv, 4));
        assertEquals(csv + ":2:1: expected 4 cells, found 3", e.getMessage());
    }

    @Test
    void describeSourcesNamesEverySourceAndScaling() {
        String help = DataSources.describeSources();
        for (String word : new String[] {"digits", "xor", "fashion-mnist", "FOLDER", "csv", "apt-get install dataset-fashion-mnist",
                "minmax", "standard", "CC BY 4.0"}) {
            assertTrue(help.contains(word), word);
        }
    }

    private String loadError(String source) {
        return assertThrows(DataFormatException.class, () -> DataSources.load(DataRequest.of(source))).getMessage();
    }

    /** Rows of (label, x, x + 10·label + 1) with labels cycling through 0..classes−1. */
    private Path writeCsv(String name, int rows, boolean labelFirst, int classes) {
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder text = new StringBuilder(labelFirst ? "label,x,y\n" : "x,y,label\n");
        for (int i = 0; i < rows; i++) {
            int label = i % classes;
            double x = random.nextDouble(-3, 3);
            String features = (float) x + "," + (float) (x + 10 * label + 1);
            text.append(labelFirst ? label + "," + features : features + "," + label).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        return write(dir.resolve(name), name.endsWith(".gz") ? gzip(bytes) : bytes);
    }

    private static int[] classCounts(Dataset set) {
        int[] counts = new int[set.targetCount()];
        for (int i = 0; i < set.sampleCount(); i++) {
            counts[argmax(set.targets(), i, set.targetCount())]++;
        }
        return counts;
    }

    private static int argmax(float[] rows, int row, int width) {
        int best = 0;
        for (int j = 1; j < width; j++) {
            if (rows[row * width + j] > rows[row * width + best]) {
                best = j;
            }
        }
        return best;
    }

    private static float[] columnRange(Dataset set, int column) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < set.sampleCount(); i++) {
            float x = set.features()[i * set.featureCount() + column];
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertNotEquals(min, max);
        return new float[] {min, max};
    }
}
