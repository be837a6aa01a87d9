package dev.bp4j.trainer.data;

/**
 * A CSV file of samples: every column but one holds a feature, the label column holds the target.
 * Labels that are all whole numbers from 0 to {@value #MAX_CLASSES} − 1 are classes (one-hot
 * targets, class count = largest label + 1); any other labels are one regression target.
 */
final class CsvSource {

    /** Whole-number labels up to this many classes are classes; larger ones are quantities. */
    static final int MAX_CLASSES = 256;

    private CsvSource() {
    }

    /**
     * @param labelColumn 0-based, or −1 for the last column
     */
    static UnscaledSplit load(DataFileInput in, int labelColumn, double testFraction, long seed, String naturalScaling)
            throws DataFormatException {
        CsvReader.Table table = CsvReader.read(in);
        int columns = table.columns();
        if (columns < 2) {
            throw DataFormatException.at(in.name(), "1:1", "expected at least 2 columns (features, then a label), found " + columns);
        }
        if (labelColumn < -1 || labelColumn >= columns) {
            throw DataFormatException.at(in.name(), "1:1", "expected a label column from 0 to " + (columns - 1)
                    + " (or -1 for the last), found " + labelColumn);
        }
        int label = labelColumn < 0 ? columns - 1 : labelColumn;
        int rows = table.rows();
        int featureCount = columns - 1;
        float[] features = new float[rows * featureCount];
        for (int r = 0; r < rows; r++) {
            int from = r * columns;
            int to = r * featureCount;
            System.arraycopy(table.cells(), from, features, to, label);
            System.arraycopy(table.cells(), from + label + 1, features, to + label, columns - label - 1);
        }
        int[] classes = classesOf(table, label);
        Dataset all;
        if (classes == null) {
            float[] targets = new float[rows];
            for (int r = 0; r < rows; r++) {
                targets[r] = table.cell(r, label);
            }
            all = new Dataset(in.name(), rows, featureCount, 1, features, targets);
        } else {
            int classCount = 0;
            for (int c : classes) {
                classCount = Math.max(classCount, c + 1);
            }
            if ((long) rows * classCount > Dataset.MAX_VALUES) {
                throw new DataFormatException(in.name() + ": " + rows + " samples of " + classCount
                        + " classes need more one-hot targets than one array holds");
            }
            all = new Dataset(in.name(), rows, featureCount, classCount, features, OneHot.encode(classes, classCount));
        }
        return SeededSplit.split(all, classes, testFraction, seed, naturalScaling);
    }

    /** The labels as classes, or null when they are not all whole numbers in [0, MAX_CLASSES). */
    private static int[] classesOf(CsvReader.Table table, int labelColumn) {
        int[] classes = new int[table.rows()];
        for (int r = 0; r < classes.length; r++) {
            float value = table.cell(r, labelColumn);
            if (!(value >= 0 && value < MAX_CLASSES && value == (int) value)) {
                return null;
            }
            classes[r] = (int) value;
        }
        return classes;
    }
}
