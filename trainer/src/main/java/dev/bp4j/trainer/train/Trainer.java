package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendStats;
import dev.bp4j.api.IndexVector;
import dev.bp4j.api.Matrix;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.nn.BatchWorkspace;
import dev.bp4j.trainer.nn.Network;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mini-batch training of a network on one backend.
 *
 * <p>Everything a run needs on the device is allocated when the trainer is built: the training
 * and test sets (uploaded once), the network, the optimizer state, one workspace for the full
 * batch and one for the remainder, the shuffled order and two 1 × 1 accumulators. A step then
 * only enqueues operations: gather the batch by the epoch's permutation, forward, loss and δᴸ,
 * accumulate the loss and the correct count on the device, backward, update. Nothing is read
 * back inside an epoch unless the listener asks for progress every N steps.
 *
 * <p>Runs are reproducible: the seed splits into one stream for the initial weights and one for
 * the shuffles.
 */
public final class Trainer implements AutoCloseable {

    private final Backend backend;
    private final NetworkSpec spec;
    private final TrainingSettings settings;
    private final boolean classification;
    private final SplittableRandom shuffleRandom;
    private final int trainSamples;
    private final int batchSize;
    private final int[] order;
    private final float[] readBack = new float[1];

    // Device resources, closed in reverse order of creation.
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final DeviceDataset train;
    private final DeviceDataset test;
    private final Network network;
    private final Optimizer optimizer;
    private final BatchWorkspace fullBatch;
    private final BatchWorkspace remainderBatch;
    private final IndexVector permutation;
    private final Matrix lossSum;
    private final Matrix correct;
    private final Evaluator evaluator;

    /**
     * Uploads the data and a freshly initialised network. A split without test samples is
     * evaluated on its training set.
     */
    public Trainer(Backend backend, NetworkSpec spec, DataSplit data, TrainingSettings settings) {
        checkCompatible(spec, data);
        this.backend = backend;
        this.spec = spec;
        this.settings = settings;
        this.classification = data.classification();
        SplittableRandom root = new SplittableRandom(settings.seed());
        NetworkParameters initial = NetworkParameters.initialise(spec, root.split());
        this.shuffleRandom = root.split();
        this.trainSamples = data.train().sampleCount();
        this.batchSize = Math.min(settings.batchSize(), trainSamples);
        this.order = new int[trainSamples];
        for (int i = 0; i < trainSamples; i++) {
            order[i] = i;
        }
        try {
            this.train = own(new DeviceDataset(backend, data.train()));
            this.test = data.test().sampleCount() > 0 ? own(new DeviceDataset(backend, data.test())) : train;
            this.network = own(new Network(backend, spec, initial));
            this.optimizer = own(Optimizer.open(backend, settings.optimizer(), network.parameters()));
            this.fullBatch = own(new BatchWorkspace(backend, spec, batchSize));
            int remainder = trainSamples % batchSize;
            this.remainderBatch = remainder > 0 ? own(new BatchWorkspace(backend, spec, remainder)) : null;
            this.permutation = own(backend.allocateIndices(trainSamples));
            this.lossSum = own(backend.allocate(1, 1));
            this.correct = own(backend.allocate(1, 1));
            this.evaluator = own(new Evaluator(backend, spec, classification));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static void checkCompatible(NetworkSpec spec, DataSplit data) {
        if (data.train().sampleCount() < 1) {
            throw new IllegalArgumentException(data.source() + ": the training set is empty");
        }
        if (spec.inputs() != data.train().featureCount() || spec.outputs() != data.train().targetCount()) {
            throw new IllegalArgumentException("the network " + spec.architecture() + " takes " + spec.inputs() + " inputs and gives "
                    + spec.outputs() + " outputs, but " + data.source() + " has " + data.train().featureCount() + " features and "
                    + data.train().targetCount() + " targets");
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    public Network network() {
        return network;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Trains for the configured epochs, evaluating on the test set after each. */
    public TrainingResult train(TrainingListener listener) {
        List<EpochSummary> epochs = new ArrayList<>();
        int steps = (trainSamples + batchSize - 1) / batchSize;
        int progressEvery = listener.progressEverySteps(steps);
        double trainSeconds = 0;
        BackendStats perStep = null;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            listener.epochStarted(epoch, steps, trainSamples);
            BackendStats before = backend.stats();
            long start = System.nanoTime();

            shuffle();
            backend.upload(order, permutation);
            backend.fill(lossSum, 0f);
            backend.fill(correct, 0f);
            for (int s = 0; s < steps; s++) {
                int offset = s * batchSize;
                BatchWorkspace ws = offset + batchSize <= trainSamples ? fullBatch : remainderBatch;
                if (perStep == null && ws == fullBatch) {
                    BackendStats stepStart = backend.stats();
                    step(ws, offset);
                    perStep = backend.stats().minus(stepStart);
                } else {
                    step(ws, offset);
                }
                if (progressEvery > 0 && (s + 1) % progressEvery == 0 && s + 1 < steps) {
                    long seen = (long) (s + 1) * batchSize;
                    listener.progress(epoch, s + 1, seen, read(lossSum) / seen);
                }
            }
            double lossTotal = read(lossSum);
            double correctTotal = read(correct);

            double seconds = (System.nanoTime() - start) / 1e9;
            BackendStats used = backend.stats().minus(before);
            trainSeconds += seconds;
            Evaluation evaluation = evaluator.evaluate(network, test);
            EpochSummary summary = new EpochSummary(epoch, steps, lossTotal / trainSamples,
                    classification ? correctTotal / trainSamples : Double.NaN, evaluation, seconds, trainSamples / seconds,
                    used.kernelLaunches(), used.hostToDeviceTransfers() + used.deviceToHostTransfers());
            epochs.add(summary);
            listener.epochFinished(summary);
        }
        long totalSamples = (long) trainSamples * settings.epochs();
        return new TrainingResult(epochs, trainSeconds, totalSamples / trainSeconds, epochs.getLast().test(),
                perStep.kernelLaunches(), perStep.hostToDeviceTransfers() + perStep.deviceToHostTransfers());
    }

    /**
     * One mini-batch step on the rows order[offset … offset + ws.batchSize()) of the training
     * set. Only enqueues backend operations; allocates nothing.
     */
    private void step(BatchWorkspace ws, int offset) {
        backend.gatherRows(train.features(), permutation, offset, ws.input());
        backend.gatherRows(train.targets(), permutation, offset, ws.targets());
        network.forward(ws);
        // The cost is the batch mean, so δᴸ carries the factor 1/batch into every gradient.
        spec.loss().lossAndOutputDelta(backend, spec.outputActivation(), ws.output(), ws.targets(),
                1f / ws.batchSize(), ws.outputDelta(), ws.rowLoss());
        backend.columnSums(1f, ws.rowLoss(), 1f, lossSum);
        if (classification) {
            backend.countCorrect(ws.output(), ws.targets(), spec.loss().decisionThreshold(), correct);
        }
        network.backward(ws);
        optimizer.step();
    }

    /** Fisher–Yates on the previous epoch's order, so each epoch sees a fresh permutation. */
    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = shuffleRandom.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    private double read(Matrix scalar) {
        backend.download(scalar, readBack);
        return readBack[0];
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + owned.get(i) + ": " + e.getMessage(), e);
            }
        }
        owned.clear();
    }
}
