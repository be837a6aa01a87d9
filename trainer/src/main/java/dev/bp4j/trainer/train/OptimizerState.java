package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * An optimizer's state copied to the host, enough to continue its run exactly: the number of
 * updates it has made (Adam's t) and its state matrices — for each slot of
 * {@link OptimizerKind#stateSlots()}, in that order, one row-major array per parameter in the
 * network's parameter order.
 */
public record OptimizerState(OptimizerKind kind, long updates, List<List<float[]>> slots) {

    public OptimizerState {
        if (updates < 0) {
            throw new IllegalArgumentException("negative update count " + updates);
        }
        if (slots.size() != kind.stateSlots().size()) {
            throw new IllegalArgumentException(kind.id() + " keeps " + kind.stateSlots() + ", not " + slots.size() + " slots");
        }
        slots = slots.stream().map(List::copyOf).toList();
    }

    /** Waits for the device and copies the matrices, given per slot in the kind's order. */
    static OptimizerState download(Backend backend, OptimizerKind kind, long updates, List<List<Matrix>> matrices) {
        List<List<float[]>> slots = new ArrayList<>();
        for (List<Matrix> slot : matrices) {
            List<float[]> arrays = new ArrayList<>();
            for (Matrix m : slot) {
                float[] values = new float[Math.toIntExact(m.size())];
                backend.download(m, values);
                arrays.add(values);
            }
            slots.add(arrays);
        }
        return new OptimizerState(kind, updates, slots);
    }

    /**
     * Copies this state into the optimizer's matrices, given per slot in the kind's order. Every
     * count and size is checked before the first upload, so a mismatch changes nothing.
     */
    void uploadInto(Backend backend, OptimizerKind expectedKind, List<List<Matrix>> matrices) {
        if (kind != expectedKind) {
            throw new IllegalArgumentException("state of a " + kind.id() + " optimizer cannot resume " + expectedKind.id());
        }
        for (int s = 0; s < matrices.size(); s++) {
            List<Matrix> slot = matrices.get(s);
            if (slots.get(s).size() != slot.size()) {
                throw new IllegalArgumentException(kind.stateSlots().get(s) + ": " + slots.get(s).size() + " arrays for "
                        + slot.size() + " parameters");
            }
            for (int p = 0; p < slot.size(); p++) {
                if (slots.get(s).get(p).length != slot.get(p).size()) {
                    throw new IllegalArgumentException(kind.stateSlots().get(s) + " of parameter " + p + ": "
                            + slots.get(s).get(p).length + " values for a matrix of " + slot.get(p).size());
                }
            }
        }
        for (int s = 0; s < matrices.size(); s++) {
            for (int p = 0; p < matrices.get(s).size(); p++) {
                backend.upload(slots.get(s).get(p), matrices.get(s).get(p));
            }
        }
    }
}
