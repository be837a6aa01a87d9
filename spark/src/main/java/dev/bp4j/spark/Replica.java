package dev.bp4j.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * What one partition sends back from a round of local steps.
 *
 * @param samples      training samples it stepped over this round (its weight in the combination)
 * @param tensors      its parameters and optimizer state after them, laid out as in {@link SyncPoint};
 *                     null when it took no step (its epoch had already ended), as they are unchanged
 * @param updates      its optimizer's update count afterwards
 * @param lossSum      the sum of per-sample training losses of its steps
 * @param correct      the training samples its steps classified right
 * @param computeNanos the time its steps took, parameter upload and download included
 * @param worker       where it ran and on which backend, e.g. "executor 1 (host-a): cpu (…)"
 */
record Replica(int partition, long samples, int steps, float[][] tensors, long updates, double lossSum, double correct,
               long computeNanos, String worker) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
}
