package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.api.IndexVector;
import dev.bp4j.api.Matrix;
import dev.bp4j.trainer.data.Dataset;

/**
 * A data set uploaded once to a backend: features (samples × features), targets
 * (samples × targets) and the identity order 0 … samples − 1, with which evaluation gathers
 * consecutive rows through the same operation training uses for shuffled batches.
 */
public final class DeviceDataset implements AutoCloseable {

    private final int sampleCount;
    private final Matrix features;
    private final Matrix targets;
    private final IndexVector inOrder;

    public DeviceDataset(Backend backend, Dataset dataset) {
        if (dataset.sampleCount() < 1) {
            throw new IllegalArgumentException(dataset.name() + ": no samples");
        }
        this.sampleCount = dataset.sampleCount();
        Matrix f = null;
        Matrix t = null;
        try {
            f = backend.allocate(sampleCount, dataset.featureCount());
            t = backend.allocate(sampleCount, dataset.targetCount());
            this.inOrder = backend.allocateIndices(sampleCount);
        } catch (RuntimeException e) {
            if (f != null) {
                f.close();
            }
            if (t != null) {
                t.close();
            }
            throw e;
        }
        this.features = f;
        this.targets = t;
        backend.upload(dataset.features(), features);
        backend.upload(dataset.targets(), targets);
        int[] order = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++) {
            order[i] = i;
        }
        backend.upload(order, inOrder);
    }

    public int sampleCount() {
        return sampleCount;
    }

    public Matrix features() {
        return features;
    }

    public Matrix targets() {
        return targets;
    }

    public IndexVector inOrder() {
        return inOrder;
    }

    @Override
    public void close() {
        features.close();
        targets.close();
        inOrder.close();
    }
}
