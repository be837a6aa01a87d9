package dev.bp4j.trainer.data;

import static dev.bp4j.trainer.data.IdxBytes.gzip;
import static dev.bp4j.trainer.data.IdxBytes.images;
import static dev.bp4j.trainer.data.IdxBytes.labels;
import static dev.bp4j.trainer.data.IdxBytes.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of the four MNIST-style IDX files: loading, and what must agree between them. */
class IdxFolderTest {

    @TempDir
    Path dir;

    private final byte[] trainImages = images(6, 3, 4, 11);
    private final byte[] trainLabels = labels(0, 1, 2, 2, 1, 0);
    private final byte[] testImages = images(2, 3, 4, 12);
    private final byte[] testLabels = labels(2, 0);

    /** Writes the four files, the training ones plain and the test ones gzipped. */
    private void writeFolder() {
        write(dir.resolve(IdxFolder.TRAIN_IMAGES), trainImages);
        write(dir.resolve(IdxFolder.TRAIN_LABELS), trainLabels);
        write(dir.resolve(IdxFolder.TEST_IMAGES + ".gz"), gzip(testImages));
        write(dir.resolve(IdxFolder.TEST_LABELS + ".gz"), gzip(testLabels));
    }

    private String error() {
        return assertThrows(DataFormatException.class, () -> DataSources.load(DataRequest.of(dir.toString()))).getMessage();
    }

    @Test
    void roundTripsPixelsAndLabelsFromPlainAndGzippedFiles() throws DataFormatException {
        writeFolder();
        DataSplit split = DataSources.load(new DataRequest(dir.toString(), -1, 0.2, 1, "none"));
        assertTrue(split.classification());
        assertEquals(dir.toString(), split.source());
        Dataset train = split.train();
        assertEquals(6, train.sampleCount());
        assertEquals(12, train.featureCount());
        assertEquals(3, train.targetCount());
        assertArrayEquals(unsigned(trainImages), train.features());
        assertArrayEquals(new float[] {0, 0, 1}, Arrays.copyOfRange(train.targets(), 6, 9));
        Dataset test = split.test();
        assertEquals(2, test.sampleCount());
        assertArrayEquals(unsigned(testImages), test.features());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, test.targets());
    }

    @Test
    void autoScalingDividesPixelsBy255() throws DataFormatException {
        writeFolder();
        DataSplit split = DataSources.load(DataRequest.of(dir.toString()));
        assertEquals(FeatureScaling.DIVIDE_BY_255, split.scaling().method());
        float[] expected = unsigned(testImages);
        for (int i = 0; i < expected.length; i++) {
            expected[i] /= 255;
        }
        assertArrayEquals(expected, split.test().features(), 1e-7f);
    }

    @Test
    void theDottedSpellingOfTheFileNamesIsFound() throws DataFormatException {
        write(dir.resolve("train-images.idx3-ubyte"), trainImages);
        write(dir.resolve("train-labels.idx1-ubyte"), trainLabels);
        write(dir.resolve("t10k-images.idx3-ubyte"), testImages);
        write(dir.resolve("t10k-labels.idx1-ubyte"), testLabels);
        assertEquals(6, DataSources.load(DataRequest.of(dir.toString())).train().sampleCount());
    }

    @Test
    void aMissingFileIsNamed() {
        write(dir.resolve(IdxFolder.TRAIN_IMAGES), trainImages);
        write(dir.resolve(IdxFolder.TRAIN_LABELS), trainLabels);
        write(dir.resolve(IdxFolder.TEST_IMAGES), testImages);
        assertEquals(dir + ": expected an IDX file t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz) in this folder, "
                + "found none", error());
    }

    @Test
    void imageAndLabelCountsMustAgree() {
        writeFolder();
        write(dir.resolve(IdxFolder.TRAIN_LABELS), labels(0, 1, 2, 2, 1));
        assertEquals(dir.resolve(IdxFolder.TRAIN_LABELS) + ":byte 4: expected 6 labels, one per image in "
                + dir.resolve(IdxFolder.TRAIN_IMAGES) + ", found 5", error());
    }

    @Test
    void testImagesMustHaveTheTrainingImagesSize() {
        writeFolder();
        write(dir.resolve(IdxFolder.TEST_IMAGES + ".gz"), gzip(images(2, 4, 3, 12)));
        assertEquals(dir.resolve(IdxFolder.TEST_IMAGES + ".gz") + ":byte 8: expected images of 3×4 as in "
                + dir.resolve(IdxFolder.TRAIN_IMAGES) + ", found 4×3", error());
    }

    @Test
    void testLabelsMustBeClassesTheTrainingLabelsHave() {
        writeFolder();
        write(dir.resolve(IdxFolder.TEST_LABELS + ".gz"), gzip(labels(2, 5)));
        assertEquals(dir.resolve(IdxFolder.TEST_LABELS + ".gz") + ":byte 9: expected a label from 0 to 2, found 5", error());
    }

    @Test
    void fashionMnistLabelsMustBeBelowTen() {
        writeFolder();
        write(dir.resolve(IdxFolder.TRAIN_LABELS), labels(0, 1, 2, 10, 1, 0));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DataSources.load(DataRequest.of(DataSources.FASHION_MNIST), List.of(dir)));
        assertEquals(dir.resolve(IdxFolder.TRAIN_LABELS) + ":byte 11: expected a label from 0 to 9, found 10", e.getMessage());
    }

    @Test
    void aMissingFashionMnistSaysHowToInstallIt() {
        Path nowhere = dir.resolve("nowhere");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DataSources.load(DataRequest.of(DataSources.FASHION_MNIST), List.of(nowhere, dir)));
        assertEquals("fashion-mnist: not found in " + nowhere + ", " + dir
                + "; install it with `apt-get install dataset-fashion-mnist`", e.getMessage());
    }

    @Test
    void fashionMnistIsTakenFromTheFirstPlaceThatHasIt() throws DataFormatException {
        writeFolder();
        DataSplit split = DataSources.load(DataRequest.of(DataSources.FASHION_MNIST), List.of(dir.resolve("nowhere"), dir));
        assertEquals(10, split.train().targetCount(), "Fashion-MNIST always has 10 classes");
        assertEquals(DataSources.FASHION_MNIST, split.source());
    }

    private static float[] unsigned(byte[] idxImages) {
        float[] pixels = new float[idxImages.length - 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = idxImages[16 + i] & 0xff;
        }
        return pixels;
    }
}
