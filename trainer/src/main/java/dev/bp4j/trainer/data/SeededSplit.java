package dev.bp4j.trainer.data;

import java.util.SplittableRandom;

/**
 * Holds out a test set from a source that has none. The same seed gives the same split, so that
 * {@code eval} sees the test set {@code train} held out. With class labels the split is
 * stratified: each class gives the test set the same share of its samples. Both sets keep the
 * samples' original order.
 */
final class SeededSplit {

    private SeededSplit() {
    }

    /**
     * @param classes each sample's class, or null for regression targets
     * @throws IllegalArgumentException when testFraction is not strictly between 0 and 1
     * @throws DataFormatException when too few samples leave either set empty
     */
    static UnscaledSplit split(Dataset all, int[] classes, double testFraction, long seed, String naturalScaling)
            throws DataFormatException {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction " + testFraction + ": expected a number between 0 and 1");
        }
        int n = all.sampleCount();
        boolean[] inTest = new boolean[n];
        SplittableRandom random = new SplittableRandom(seed);
        if (classes == null) {
            holdOut(allIndices(n), n, testFraction, random, inTest);
        } else {
            int[][] members = membersByClass(classes);
            for (int[] member : members) {
                holdOut(member, member.length, testFraction, random, inTest);
            }
        }
        int testCount = 0;
        for (boolean t : inTest) {
            testCount += t ? 1 : 0;
        }
        if (testCount == 0 || testCount == n) {
            throw new DataFormatException(all.name() + ": " + n + " samples are too few to hold out a test fraction of "
                    + testFraction + "; expected at least one training and one test sample");
        }
        return new UnscaledSplit(subset(all, inTest, false, n - testCount), subset(all, inTest, true, testCount),
                classes != null, naturalScaling);
    }

    /** Marks round(count × fraction) of {@code indices[0, count)}, chosen at random, as test samples. */
    private static void holdOut(int[] indices, int count, double fraction, SplittableRandom random, boolean[] inTest) {
        int testCount = (int) Math.round(count * fraction);
        // A partial Fisher–Yates shuffle: the first testCount slots become a uniform random choice.
        for (int i = 0; i < testCount; i++) {
            int j = i + random.nextInt(count - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
            inTest[indices[i]] = true;
        }
    }

    private static int[] allIndices(int n) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        return indices;
    }

    private static int[][] membersByClass(int[] classes) {
        int classCount = 0;
        for (int c : classes) {
            classCount = Math.max(classCount, c + 1);
        }
        int[] sizes = new int[classCount];
        for (int c : classes) {
            sizes[c]++;
        }
        int[][] members = new int[classCount][];
        for (int c = 0; c < classCount; c++) {
            members[c] = new int[sizes[c]];
        }
        int[] filled = new int[classCount];
        for (int i = 0; i < classes.length; i++) {
            members[classes[i]][filled[classes[i]]++] = i;
        }
        return members;
    }

    private static Dataset subset(Dataset all, boolean[] inTest, boolean test, int count) {
        int f = all.featureCount();
        int t = all.targetCount();
        float[] features = new float[count * f];
        float[] targets = new float[count * t];
        int row = 0;
        for (int i = 0; i < all.sampleCount(); i++) {
            if (inTest[i] == test) {
                System.arraycopy(all.features(), i * f, features, row * f, f);
                System.arraycopy(all.targets(), i * t, targets, row * t, t);
                row++;
            }
        }
        return new Dataset(all.name() + (test ? " (test)" : " (train)"), count, f, t, features, targets);
    }
}
