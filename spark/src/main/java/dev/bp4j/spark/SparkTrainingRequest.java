package dev.bp4j.spark;

import dev.bp4j.api.Activation;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.train.TrainingSettings;

import java.nio.file.Path;

/**
 * A data-parallel run as {@code bp4j-spark train} takes it.
 *
 * @param data                 the source as {@code bp4j train} takes it, or any Hadoop-readable URI of a
 *                             CSV file or a folder of IDX files; loaded inside the executors
 * @param layers               every layer width, input first; null for features, 64, outputs
 * @param loss                 null for the usual one (softmax-ce for classes, bce for one 0/1 output, mse for regression)
 * @param settings             epochs, the batch of each partition, seed and optimizer
 * @param partitions           replicas, one Spark task each
 * @param syncEvery            local steps between two combinations; 1 averages the gradients of every step
 * @param backend              the backend each executor opens: cpu, opencl (on the GPU Spark assigns), reference, auto
 * @param threads              worker threads of a CPU backend in each task
 * @param strict               fail the job when an executor cannot open {@code backend}, instead of falling back
 * @param checkpointDir        where the driver writes checkpoints at sync points; null for none
 * @param checkpointEverySteps a checkpoint at the first sync point after every this many local steps; 0 at epoch ends
 * @param resume               continue from the newest complete checkpoint in {@code checkpointDir}
 */
public record SparkTrainingRequest(DataRequest data, int[] layers, Activation activation, LossFunction loss,
                                   TrainingSettings settings, int partitions, int syncEvery, String backend, int threads,
                                   boolean strict, Path checkpointDir, int checkpointEverySteps, boolean resume) {

    public SparkTrainingRequest {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions: expected at least 1, got " + partitions);
        }
        if (syncEvery < 1) {
            throw new IllegalArgumentException("sync-every: expected at least 1 local step, got " + syncEvery);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads: expected 0 (all cores) or a positive count, got " + threads);
        }
        if (checkpointEverySteps < 0) {
            throw new IllegalArgumentException("checkpoint-every: expected 0 (epoch ends) or a positive number of steps, got "
                    + checkpointEverySteps);
        }
        if (resume && checkpointDir == null) {
            throw new IllegalArgumentException("resume needs a checkpoint folder");
        }
        layers = layers == null ? null : layers.clone();
    }

    /** The usual settings for everything but the data and training settings: one partition, cpu with one thread, sync every step. */
    public static SparkTrainingRequest of(DataRequest data, int[] layers, Activation activation, TrainingSettings settings,
                                          int partitions, int syncEvery) {
        return new SparkTrainingRequest(data, layers, activation, null, settings, partitions, syncEvery, "cpu", 1, false, null, 0,
                false);
    }

    public SparkTrainingRequest withBackend(String name, boolean strictly) {
        return new SparkTrainingRequest(data, layers, activation, loss, settings, partitions, syncEvery, name, threads, strictly,
                checkpointDir, checkpointEverySteps, resume);
    }

    public SparkTrainingRequest withCheckpoints(Path folder, int everySteps, boolean resuming) {
        return new SparkTrainingRequest(data, layers, activation, loss, settings, partitions, syncEvery, backend, threads, strict,
                folder, everySteps, resuming);
    }

    public SparkTrainingRequest withSettings(TrainingSettings other) {
        return new SparkTrainingRequest(data, layers, activation, loss, other, partitions, syncEvery, backend, threads, strict,
                checkpointDir, checkpointEverySteps, resume);
    }

    @Override
    public int[] layers() {
        return layers == null ? null : layers.clone();
    }
}
