package dev.bp4j.spark;

import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerState;
import dev.bp4j.trainer.train.TrainingState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the driver broadcasts at a sync point: the combined parameters and optimizer state, and
 * where in the run the replicas stand, as {@link Wire} bytes. Every replica continues from here.
 *
 * @param tensors     the network's parameters in its order (weights and bias of each layer), then
 *                    for each optimizer state slot one array per parameter
 * @param updates     the optimizer's update count (Adam's t)
 * @param epochsDone  epochs finished
 * @param stepInEpoch local steps every replica has taken in epoch {@code epochsDone + 1}
 */
record SyncPoint(OptimizerKind kind, float[][] tensors, long updates, int epochsDone, int stepInEpoch) {

    SyncPoint {
        if (kind == null || tensors == null || tensors.length % (2 * (1 + kind.stateSlots().size())) != 0) {
            throw new IllegalArgumentException("sync point: " + (tensors == null ? "no" : tensors.length) + " tensors for optimizer "
                    + kind + "; expected a weight and a bias per layer for the parameters and for each state slot");
        }
    }

    static SyncPoint of(NetworkParameters parameters, OptimizerState optimizer, int epochsDone, int stepInEpoch) {
        List<float[]> all = new ArrayList<>();
        for (int l = 0; l < parameters.layerCount(); l++) {
            all.add(parameters.weights().get(l));
            all.add(parameters.biases().get(l));
        }
        optimizer.slots().forEach(all::addAll);
        return new SyncPoint(optimizer.kind(), all.toArray(float[][]::new), optimizer.updates(), epochsDone, stepInEpoch);
    }

    /** The same position with other tensors (the replicas' combination). */
    SyncPoint withTensors(float[][] combined, long combinedUpdates, int epochs, int step) {
        return new SyncPoint(kind, combined, combinedUpdates, epochs, step);
    }

    int parameterCount() {
        return tensors.length / (1 + kind.stateSlots().size());
    }

    NetworkParameters parameters() {
        List<float[]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        for (int p = 0; p < parameterCount(); p += 2) {
            weights.add(tensors[p]);
            biases.add(tensors[p + 1]);
        }
        return new NetworkParameters(weights, biases);
    }

    OptimizerState optimizer() {
        int n = parameterCount();
        List<List<float[]>> slots = new ArrayList<>();
        for (int s = 0; s < kind.stateSlots().size(); s++) {
            slots.add(List.of(Arrays.copyOfRange(tensors, n * (s + 1), n * (s + 2))));
        }
        return new OptimizerState(kind, updates, slots);
    }

    /**
     * The state a replica whose epochs take {@code stepsPerEpoch} steps continues from; its
     * running sums start at zero, as each replica reports only the steps it takes next.
     */
    TrainingState replicaState(int stepsPerEpoch) {
        int step = Math.min(stepInEpoch, stepsPerEpoch);
        return new TrainingState(parameters(), optimizer(), epochsDone, step, (long) epochsDone * stepsPerEpoch + step, 0f, 0f);
    }

    /** Zero optimizer state for fresh parameters: what an optimizer holds before its first update. */
    static OptimizerState freshOptimizer(OptimizerKind kind, NetworkParameters parameters) {
        List<List<float[]>> slots = new ArrayList<>();
        for (int s = 0; s < kind.stateSlots().size(); s++) {
            List<float[]> zeros = new ArrayList<>();
            for (int l = 0; l < parameters.layerCount(); l++) {
                zeros.add(new float[parameters.weights().get(l).length]);
                zeros.add(new float[parameters.biases().get(l).length]);
            }
            slots.add(zeros);
        }
        return new OptimizerState(kind, 0, slots);
    }

    byte[] toBytes() {
        return Wire.encode(Wire.SYNC_POINT, out -> out.putEnum(kind).putFloatArrays(tensors).putLong(updates)
                .putInt(epochsDone).putInt(stepInEpoch));
    }

    static SyncPoint fromBytes(byte[] bytes) {
        return Wire.decode(Wire.SYNC_POINT, bytes, in -> new SyncPoint(in.getEnum(OptimizerKind.class), in.getFloatArrays(),
                in.getLong(), in.getInt(), in.getInt()));
    }
}
