package dev.bp4j.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder of the four MNIST-style IDX files, each gzipped or not: train-images-idx3-ubyte,
 * train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (the spelling with
 * a dot before "idx", as some copies of MNIST have it, is accepted too). Pixels become features
 * 0..255, labels one-hot targets.
 */
final class IdxFolder {

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private IdxFolder() {
    }

    /** Whether {@code folder} holds any of the four files. */
    static boolean holdsAny(Path folder) {
        return FILES.stream().anyMatch(name -> find(folder, name) != null);
    }

    /**
     * @param classLimit labels must be below this (the class count a named data set is known to
     *                   have), or {@link IdxReader#ANY_LABEL} to infer the class count from the
     *                   training labels
     */
    static UnscaledSplit load(Path folder, int classLimit) throws DataFormatException {
        // All four found before any is read, so a missing one is reported at once.
        Path trainImagesFile = require(folder, TRAIN_IMAGES);
        Path trainLabelsFile = require(folder, TRAIN_LABELS);
        Path testImagesFile = require(folder, TEST_IMAGES);
        Path testLabelsFile = require(folder, TEST_LABELS);
        IdxReader.Images trainImages;
        IdxReader.Labels trainLabels;
        IdxReader.Images testImages;
        IdxReader.Labels testLabels;
        try (DataFileInput in = DataFileInput.open(trainImagesFile)) {
            trainImages = IdxReader.readImages(in);
        }
        try (DataFileInput in = DataFileInput.open(trainLabelsFile)) {
            trainLabels = IdxReader.readLabels(in, classLimit);
        }
        int classCount = classLimit == IdxReader.ANY_LABEL ? trainLabels.classCount() : classLimit;
        try (DataFileInput in = DataFileInput.open(testImagesFile)) {
            testImages = IdxReader.readImages(in);
        }
        try (DataFileInput in = DataFileInput.open(testLabelsFile)) {
            testLabels = IdxReader.readLabels(in, classCount);
        }
        if (testImages.rows() != trainImages.rows() || testImages.columns() != trainImages.columns()) {
            throw DataFormatException.at(testImages.file(), "byte 8", "expected images of " + trainImages.rows() + "×"
                    + trainImages.columns() + " as in " + trainImages.file() + ", found " + testImages.rows() + "×"
                    + testImages.columns());
        }
        return new UnscaledSplit(dataset(trainImages, trainLabels, classCount), dataset(testImages, testLabels, classCount),
                true, FeatureScaling.DIVIDE_BY_255);
    }

    private static Dataset dataset(IdxReader.Images images, IdxReader.Labels labels, int classCount)
            throws DataFormatException {
        if (labels.count() != images.count()) {
            throw DataFormatException.at(labels.file(), "byte 4", "expected " + images.count() + " labels, one per image in "
                    + images.file() + ", found " + labels.count());
        }
        int[] classes = new int[labels.count()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = labels.label(i);
        }
        return new Dataset(images.file(), images.count(), images.pixelsPerImage(), classCount, images.pixels(),
                OneHot.encode(classes, classCount));
    }

    private static Path require(Path folder, String name) throws DataFormatException {
        Path file = find(folder, name);
        if (file == null) {
            throw new DataFormatException(folder + ": expected an IDX file " + name + " (or " + name
                    + ".gz) in this folder, found none");
        }
        return file;
    }

    /** The file holding {@code name}, plain or gzipped, in either spelling; null when there is none. */
    private static Path find(Path folder, String name) {
        String dotted = name.replace("-idx", ".idx");
        for (String candidate : List.of(name, name + ".gz", dotted, dotted + ".gz")) {
            Path file = folder.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }
}
