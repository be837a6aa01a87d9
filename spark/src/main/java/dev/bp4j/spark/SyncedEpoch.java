package dev.bp4j.spark;

import dev.bp4j.trainer.train.Evaluation;

/**
 * One epoch of a data-parallel run.
 *
 * @param syncs          combinations (Spark jobs) the epoch took
 * @param trainLoss      mean loss over every partition's training samples, as each batch saw them
 * @param trainAccuracy  share of training samples classified right during the epoch (NaN for regression)
 * @param test           the combined model on the test set after the epoch
 * @param seconds        the rounds' wall time, evaluation excluded
 * @param computeSeconds of {@code seconds}, the slowest replica's local steps in each round, summed
 * @param combineSeconds the rest: scheduling, shipping replicas, the tree aggregation and the broadcast
 */
public record SyncedEpoch(int epoch, int syncs, long samples, double trainLoss, double trainAccuracy, Evaluation test,
                          double seconds, double computeSeconds, double combineSeconds) {

    public double samplesPerSecond() {
        return samples / seconds;
    }

    public double secondsPerSync() {
        return seconds / syncs;
    }
}
