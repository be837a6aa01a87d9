package dev.bp4j.trainer.train;

import dev.bp4j.trainer.data.Dataset;

import java.util.SplittableRandom;

/**
 * Holds a seeded share of the training part out for validation, so the epoch to keep is chosen
 * without looking at the test part. The held-out rows are a uniformly random subset (a partial
 * Fisher–Yates shuffle); both parts keep the training set's row order otherwise.
 */
record ValidationSplit(Dataset train, Dataset validation) {

    static ValidationSplit of(Dataset all, double fraction, long seed) {
        int n = all.sampleCount();
        int held = (int) Math.round(n * fraction);
        if (held < 1 || held >= n) {
            throw new IllegalArgumentException(all.name() + ": a validation fraction of " + fraction + " of " + n
                    + " training samples leaves " + held + " to validate and " + (n - held) + " to train on; each needs at least 1");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] validating = new boolean[n];
        for (int i = 0; i < held; i++) {
            int j = i + random.nextInt(n - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
            validating[order[i]] = true;
        }
        return new ValidationSplit(rows(all, validating, false, n - held, all.name()),
                rows(all, validating, true, held, all.name() + " (validation)"));
    }

    private static Dataset rows(Dataset all, boolean[] validating, boolean wanted, int count, String name) {
        int features = all.featureCount();
        int targets = all.targetCount();
        float[] x = new float[count * features];
        float[] y = new float[count * targets];
        int r = 0;
        for (int i = 0; i < all.sampleCount(); i++) {
            if (validating[i] == wanted) {
                System.arraycopy(all.features(), i * features, x, r * features, features);
                System.arraycopy(all.targets(), i * targets, y, r * targets, targets);
                r++;
            }
        }
        return new Dataset(name, count, features, targets, x, y);
    }
}
