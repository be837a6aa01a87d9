package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendStats;
import dev.bp4j.api.IndexVector;
import dev.bp4j.api.Matrix;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import dev.bp4j.trainer.nn.BatchWorkspace;
import dev.bp4j.trainer.nn.Dropout;
import dev.bp4j.trainer.nn.Network;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mini-batch training of a network on one backend.
 *
 * <p>Everything a run needs on the device is allocated when the trainer is built: the training
 * and test sets (uploaded once), the network, the optimizer state, one workspace for the full
 * batch and one for the remainder, the shuffled order, two 1 × 1 accumulators and the
 * {@link DivergenceMonitor}'s sums. A step then only enqueues operations: gather the batch by the
 * epoch's permutation, forward, loss and δᴸ, accumulate the loss and the correct count on the
 * device, backward, add the gradients' column sums to the monitor, update. Nothing is read
 * back inside an epoch unless the listener asks for progress every N steps, or the
 * {@link Safeguards} ask for divergence checks or checkpoints.
 *
 * <p>Runs are reproducible: the seed splits into one stream for the initial weights and seeds
 * for the shuffles, the dropout masks and the validation split; the shuffle of epoch e depends
 * only on its seed and e, the dropout masks of step t only on theirs and t, and the learning
 * rate only on t. A run resumed from a {@link TrainingState} therefore replays exactly the steps
 * an uninterrupted run would have taken, and on backends whose operations are deterministic
 * ends with identical weights.
 *
 * <p>The {@link TrainingRecipe} adds, each in its own class: weight decay (inside the optimizer's
 * update), dropout ({@link Dropout}, forward and backward on the device), the learning-rate
 * {@link LearningRateSchedule}, {@link GradientClipping} by global norm, and a validation part
 * ({@link ValidationSplit}) evaluated after each epoch, whose best epoch ({@link BestEpoch}) is
 * the model the run ends with, with early stopping.
 */
public final class Trainer implements AutoCloseable {

    private final Backend backend;
    private final NetworkSpec spec;
    private final TrainingSettings settings;
    private final TrainingRecipe recipe;
    private final boolean classification;
    private final long shuffleSeed;
    private final Dropout dropout;
    private final long totalSteps;
    private final int trainSamples;
    private final int batchSize;
    private final int stepsPerEpoch;
    /** Where training starts: a fresh run's state, or the checkpoint a resumed run continues from. */
    private final int startEpochsDone;
    private final int startStepInEpoch;
    private final float startLossSum;
    private final float startCorrect;
    private long stepsDone;
    /** Samples of the current epoch that {@link #lossSum} sums over. */
    private long epochSamplesSeen;
    private volatile boolean stopRequested;
    private final int[] order;
    private final float[] readBack = new float[1];
    /** The epoch whose shuffle {@link #advance} last uploaded; 0 for none. */
    private int permutedEpoch;

    // Device resources, closed in reverse order of creation.
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final DeviceDataset train;
    private final DeviceDataset test;
    private final DeviceDataset validation;
    private final Network network;
    private final Optimizer optimizer;
    private final BatchWorkspace fullBatch;
    private final BatchWorkspace remainderBatch;
    private final IndexVector permutation;
    private final Matrix lossSum;
    private final Matrix correct;
    private final Evaluator evaluator;
    private final DivergenceMonitor divergence;
    private final GradientClipping clipping;
    private final BestEpoch best;
    private float learningRate;

    /**
     * Uploads the data and a freshly initialised network. A split without test samples is
     * evaluated on its training set.
     */
    public Trainer(Backend backend, NetworkSpec spec, DataSplit data, TrainingSettings settings) {
        this(backend, spec, data, settings, null);
    }

    /**
     * Trains throwaway networks shaped like {@code spec} on synthetic data with this class's own
     * steps, so that a JIT-compiled backend (cpu) has compiled its kernels before the first epoch
     * of a real run, which otherwise runs several times slower than the later ones. It trains in
     * rounds of about 10,000 samples until the JVM's compilers were mostly idle for a round, at
     * most ten. Optional: it changes no result, only when the compile time is paid. It uses
     * {@code backend} only while it runs; call it before training, or on a thread of your own
     * while your data loads if nothing else uses the backend meanwhile.
     * {@code divergenceCheckEverySteps} as in the run's {@link Safeguards}, so the same code is
     * compiled.
     */
    public static void warmUp(Backend backend, NetworkSpec spec, TrainingSettings settings, int divergenceCheckEverySteps) {
        WarmUp.run(backend, spec, settings, divergenceCheckEverySteps);
    }

    /**
     * Uploads the data and the network and optimizer state of {@code state}, to continue a run
     * from there up to {@code settings.epochs()} in total. The data, the batch size and the
     * seed must be the run's own: the state's position is checked against them.
     */
    public static Trainer resume(Backend backend, NetworkSpec spec, DataSplit data, TrainingSettings settings, TrainingState state) {
        return new Trainer(backend, spec, data, settings, state);
    }

    private Trainer(Backend backend, NetworkSpec spec, DataSplit data, TrainingSettings settings, TrainingState resumed) {
        checkCompatible(spec, data);
        this.backend = backend;
        this.spec = spec;
        this.settings = settings;
        this.recipe = settings.recipe();
        this.classification = data.classification();
        SplittableRandom root = new SplittableRandom(settings.seed());
        NetworkParameters initial = NetworkParameters.initialise(spec, recipe.init(), root.split());
        this.shuffleSeed = root.nextLong();
        long dropoutSeed = root.nextLong();
        long validationSeed = root.nextLong();
        float hiddenRate = spec.layerCount() > 1 ? recipe.dropout() : 0f;
        this.dropout = hiddenRate > 0 || recipe.inputDropout() > 0 ? new Dropout(hiddenRate, recipe.inputDropout(), dropoutSeed) : null;
        Dataset trainPart = data.train();
        Dataset validationPart = null;
        if (recipe.validates()) {
            ValidationSplit split = ValidationSplit.of(data.train(), recipe.validationFraction(), validationSeed);
            trainPart = split.train();
            validationPart = split.validation();
        }
        this.trainSamples = trainPart.sampleCount();
        this.batchSize = Math.min(settings.batchSize(), trainSamples);
        this.stepsPerEpoch = (trainSamples + batchSize - 1) / batchSize;
        this.totalSteps = (long) settings.epochs() * stepsPerEpoch;
        this.order = new int[trainSamples];
        if (resumed != null) {
            checkResumable(resumed, settings);
        }
        this.startEpochsDone = resumed == null ? 0 : resumed.epochsDone();
        this.startStepInEpoch = resumed == null ? 0 : resumed.stepInEpoch();
        this.startLossSum = resumed == null ? 0 : resumed.epochLossSum();
        this.startCorrect = resumed == null ? 0 : resumed.epochCorrect();
        this.stepsDone = resumed == null ? 0 : resumed.step();
        try {
            this.train = own(new DeviceDataset(backend, trainPart));
            this.test = data.test().sampleCount() > 0 ? own(new DeviceDataset(backend, data.test())) : train;
            this.validation = validationPart != null ? own(new DeviceDataset(backend, validationPart)) : null;
            this.network = own(new Network(backend, spec, resumed == null ? initial : resumed.parameters()));
            this.optimizer = own(Optimizer.open(backend, settings.optimizer(), network.parameters(), recipe.weightDecay(),
                    recipe.decayBiases()));
            if (resumed != null) {
                optimizer.restoreState(resumed.optimizer());
            }
            this.divergence = own(new DivergenceMonitor(backend, network.parameters()));
            this.clipping = recipe.clipNorm() > 0 ? own(new GradientClipping(backend, network.parameters(), recipe.clipNorm())) : null;
            this.best = validation != null ? own(new BestEpoch(backend, network.parameters(), recipe.patience())) : null;
            if (best != null && resumed != null && resumed.earlyStopping() != null) {
                resumed.earlyStopping().bestParameters().checkMatches(spec);
                best.restore(resumed.earlyStopping());
            }
            this.fullBatch = own(new BatchWorkspace(backend, spec, batchSize, dropout));
            int remainder = trainSamples % batchSize;
            this.remainderBatch = remainder > 0 ? own(new BatchWorkspace(backend, spec, remainder, dropout)) : null;
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

    /**
     * The state must sit inside this run, at a step that exists for this data and batch size:
     * before its last epoch, or at its very end (a run killed while writing its outputs), which
     * then trains nothing and only evaluates.
     */
    private void checkResumable(TrainingState state, TrainingSettings settings) {
        if (state.epochsDone() > settings.epochs() || state.epochsDone() == settings.epochs() && state.stepInEpoch() > 0) {
            throw new IllegalArgumentException("the run has already finished " + state.epochsDone() + " epochs; ask for more than "
                    + state.epochsDone() + " to continue it");
        }
        if (state.stepInEpoch() >= stepsPerEpoch || state.step() != (long) state.epochsDone() * stepsPerEpoch + state.stepInEpoch()) {
            throw new IllegalArgumentException("the saved position (step " + state.step() + ", " + state.stepInEpoch()
                    + " steps into epoch " + (state.epochsDone() + 1) + ") does not fit epochs of " + stepsPerEpoch
                    + " steps: the data or the batch size differ from the run that saved it");
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    public Network network() {
        return network;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Samples trained on per epoch: the training part less the validation part. */
    public int trainingSamples() {
        return trainSamples;
    }

    /** The learning rate of update {@code step} (0-based) of this run, rounded to float once. */
    public float learningRate(long step) {
        return (float) recipe.schedule().rate(settings.optimizer().learningRate(), step, stepsPerEpoch, totalSteps);
    }

    /** Steps in each epoch: the full batches and, if the batch size does not divide the training set, one partial batch. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * Asks a running {@link #train} to stop at the next step boundary; safe to call from any
     * thread (a signal handler, a UI). The run then saves a last checkpoint if it keeps them and
     * returns a result marked {@linkplain TrainingResult#interrupted() interrupted}.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Continues from {@code from} for up to {@code maxSteps} steps, stopping early where its
     * epoch ends, and returns the state after them, for callers that combine the states of
     * several replicas between steps (data-parallel training). The steps are exactly those
     * {@link #train} takes from that position; nothing is evaluated, checked or checkpointed.
     * When the epoch ends the position moves to the start of the next one, while the running
     * sums still hold the finished epoch's totals.
     */
    public TrainingState advance(TrainingState from, int maxSteps) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("steps to take must be at least 1, got " + maxSteps);
        }
        if (from.epochsDone() >= settings.epochs()) {
            throw new IllegalArgumentException("the run has already finished its " + settings.epochs() + " epochs");
        }
        checkResumable(from, settings);
        network.upload(from.parameters());
        optimizer.restoreState(from.optimizer());
        int epoch = from.epochsDone() + 1;
        int s = from.stepInEpoch();
        beginEpoch(epoch, s, from.epochLossSum(), from.epochCorrect());
        stepsDone = from.step();
        int end = Math.min(stepsPerEpoch, s + maxSteps);
        for (; s < end; s++) {
            int offset = s * batchSize;
            stepsDone++;
            step(workspaceAt(offset), offset, false, stepsDone);
        }
        boolean epochEnded = s == stepsPerEpoch;
        float loss = (float) read(lossSum);
        float right = (float) read(correct);
        return new TrainingState(network.download(), optimizer.saveState(), epochEnded ? epoch : epoch - 1, epochEnded ? 0 : s,
                stepsDone, loss, right);
    }

    /** Trains for the configured epochs, evaluating on the test set after each. */
    public TrainingResult train(TrainingListener listener) {
        return train(listener, Safeguards.NONE);
    }

    /**
     * Trains up to the configured number of epochs (from where a resumed run stopped),
     * evaluating on the test set after each, with the divergence checks and checkpoints the
     * safeguards ask for.
     *
     * @throws TrainingDivergedException when the loss or a gradient turns NaN or infinite
     * @throws UncheckedIOException      when a checkpoint cannot be written
     */
    public TrainingResult train(TrainingListener listener, Safeguards safeguards) {
        List<EpochSummary> epochs = new ArrayList<>();
        int steps = stepsPerEpoch;
        int progressEvery = listener.progressEverySteps(steps);
        int checkEvery = safeguards.divergenceCheckEverySteps();
        double trainSeconds = 0;
        long samplesTrained = 0;
        BackendStats perStep = null;
        long firstUnchecked = stepsDone + 1;
        boolean interrupted = false;
        boolean stoppedEarly = false;
        divergence.watchLossExplosion(safeguards.lossExplosionFactor());
        for (int epoch = startEpochsDone + 1; epoch <= settings.epochs() && !interrupted && !stoppedEarly; epoch++) {
            listener.epochStarted(epoch, steps, trainSamples);
            BackendStats before = backend.stats();
            long start = System.nanoTime();

            boolean continuing = epoch == startEpochsDone + 1 && startStepInEpoch > 0;
            int firstStep = continuing ? startStepInEpoch : 0;
            beginEpoch(epoch, firstStep, startLossSum, startCorrect);
            long epochSamples = 0;
            for (int s = firstStep; s < steps; s++) {
                if (stopRequested) {
                    interrupted = true;
                    trainSeconds += (System.nanoTime() - start) / 1e9;
                    samplesTrained += epochSamples;
                    if (safeguards.checkpoints() != null) {
                        firstUnchecked = saveCheckpoint(safeguards, epoch - 1, s, firstUnchecked);
                    } else {
                        firstUnchecked = checkDivergence(firstUnchecked);
                    }
                    break;
                }
                int offset = s * batchSize;
                BatchWorkspace ws = workspaceAt(offset);
                stepsDone++;
                epochSamplesSeen += ws.batchSize();
                boolean check = checkEvery > 0 && stepsDone % checkEvery == 0;
                // Measured on one full batch, or on the remainder if a resumed run takes no full step.
                if (perStep == null && (ws == fullBatch || s == steps - 1)) {
                    BackendStats stepStart = backend.stats();
                    step(ws, offset, check, firstUnchecked);
                    perStep = backend.stats().minus(stepStart);
                } else {
                    step(ws, offset, check, firstUnchecked);
                }
                if (check) {
                    firstUnchecked = stepsDone + 1;
                }
                epochSamples += ws.batchSize();
                listener.stepFinished(stepsDone);
                if (progressEvery > 0 && (s + 1) % progressEvery == 0 && s + 1 < steps) {
                    firstUnchecked = checkDivergence(firstUnchecked);
                    listener.progress(epoch, s + 1, epochSamplesSeen, read(lossSum) / epochSamplesSeen, learningRate);
                }
                if (safeguards.checkpoints() != null && safeguards.checkpointEverySteps() > 0
                        && stepsDone % safeguards.checkpointEverySteps() == 0 && s + 1 < steps) {
                    firstUnchecked = saveCheckpoint(safeguards, epoch - 1, s + 1, firstUnchecked);
                }
            }
            if (interrupted) {
                break;
            }
            firstUnchecked = checkDivergence(firstUnchecked);
            double lossTotal = read(lossSum);
            double correctTotal = read(correct);

            double seconds = (System.nanoTime() - start) / 1e9;
            BackendStats used = backend.stats().minus(before);
            trainSeconds += seconds;
            samplesTrained += epochSamples;
            Evaluation evaluation = evaluator.evaluate(network, test);
            Evaluation validated = validation != null ? evaluator.evaluate(network, validation) : null;
            if (validated != null) {
                stoppedEarly = best.record(epoch, validated.loss()) && epoch < settings.epochs();
            }
            EpochSummary summary = new EpochSummary(epoch, steps, lossTotal / trainSamples,
                    classification ? correctTotal / trainSamples : Double.NaN, evaluation, seconds, epochSamples / seconds,
                    used.kernelLaunches(), used.hostToDeviceTransfers() + used.deviceToHostTransfers(), validated, learningRate);
            epochs.add(summary);
            listener.epochFinished(summary);
            int every = safeguards.checkpointEverySteps();
            if (safeguards.checkpoints() != null && (every == 0 || stepsDone % every == 0 || epoch == settings.epochs() || stoppedEarly)) {
                firstUnchecked = saveCheckpoint(safeguards, epoch, 0, firstUnchecked);
            }
        }
        int chosen = epochs.isEmpty() ? startEpochsDone : epochs.getLast().epoch();
        Evaluation finalTest = epochs.isEmpty() || interrupted ? evaluator.evaluate(network, test) : epochs.getLast().test();
        if (best != null && best.epoch() > 0 && (best.epoch() != chosen || interrupted)) {
            // The model the run ends with is the best on validation; only then is it scored on test.
            best.restore();
            chosen = best.epoch();
            finalTest = evaluator.evaluate(network, test);
        }
        return new TrainingResult(epochs, trainSeconds, trainSeconds > 0 ? samplesTrained / trainSeconds : 0, finalTest,
                perStep == null ? 0 : perStep.kernelLaunches(),
                perStep == null ? 0 : perStep.hostToDeviceTransfers() + perStep.deviceToHostTransfers(), stepsDone, interrupted,
                chosen, stoppedEarly);
    }

    /**
     * Puts the device in the state an epoch's step {@code firstStep} starts from: the epoch's
     * permutation (uploaded only when it is not there already), and the running sums at the
     * values given, or at zero when the epoch starts from its first step.
     */
    private void beginEpoch(int epoch, int firstStep, float lossSoFar, float correctSoFar) {
        if (permutedEpoch != epoch) {
            shuffle(epoch);
            backend.upload(order, permutation);
            permutedEpoch = epoch;
        }
        backend.fill(lossSum, firstStep > 0 ? lossSoFar : 0f);
        backend.fill(correct, firstStep > 0 ? correctSoFar : 0f);
        epochSamplesSeen = (long) firstStep * batchSize;
    }

    /** The workspace of the step whose rows start at {@code offset}: the full batch, or the epoch's last, partial one. */
    private BatchWorkspace workspaceAt(int offset) {
        return offset + batchSize <= trainSamples ? fullBatch : remainderBatch;
    }

    /** Checks every step since {@code firstUnchecked}; returns the next step to check from. */
    private long checkDivergence(long firstUnchecked) {
        if (firstUnchecked <= stepsDone) {
            divergence.check(lossSum, epochSamplesSeen, stepsDone, firstUnchecked);
        }
        return stepsDone + 1;
    }

    /**
     * Copies the state to the host and hands it to the checkpoint sink, after a divergence check
     * so a non-finite state is never saved.
     */
    private long saveCheckpoint(Safeguards safeguards, int epochsDone, int stepInEpoch, long firstUnchecked) {
        long next = checkDivergence(firstUnchecked);
        float loss = 0;
        float right = 0;
        if (stepInEpoch > 0) {
            backend.download(lossSum, readBack);
            loss = readBack[0];
            backend.download(correct, readBack);
            right = readBack[0];
        }
        TrainingState state = new TrainingState(network.download(), optimizer.saveState(), epochsDone, stepInEpoch, stepsDone, loss,
                right, best != null ? best.save() : null);
        try {
            safeguards.checkpoints().save(state);
        } catch (IOException e) {
            throw new UncheckedIOException("saving the checkpoint of step " + stepsDone + ": " + e.getMessage(), e);
        }
        return next;
    }

    /**
     * One mini-batch step on the rows order[offset … offset + ws.batchSize()) of the training
     * set. Only enqueues backend operations; allocates nothing.
     */
    private void step(BatchWorkspace ws, int offset, boolean checkDivergence, long firstUnchecked) {
        backend.gatherRows(train.features(), permutation, offset, ws.input());
        backend.gatherRows(train.targets(), permutation, offset, ws.targets());
        network.forward(ws, dropout, stepsDone);
        // The cost is the batch mean, so δᴸ carries the factor 1/batch into every gradient.
        spec.loss().lossAndOutputDelta(backend, spec.outputActivation(), ws.output(), ws.targets(),
                1f / ws.batchSize(), ws.outputDelta(), ws.rowLoss());
        backend.columnSums(1f, ws.rowLoss(), 1f, lossSum);
        if (classification) {
            backend.countCorrect(ws.output(), ws.targets(), spec.loss().decisionThreshold(), correct);
        }
        network.backward(ws, dropout, stepsDone);
        if (clipping != null) {
            clipping.apply();
        }
        if (checkDivergence) {
            // Only checked steps pay for the gradient sums: between checks a NaN gradient reaches
            // the weights and from there the loss sum, which every check reads. Before the
            // update, so a diverging step stops here with the weights of the step before.
            divergence.accumulate();
            divergence.check(lossSum, epochSamplesSeen, stepsDone, firstUnchecked);
        }
        learningRate = learningRate(stepsDone - 1);
        optimizer.step(learningRate);
    }

    /**
     * Fisher–Yates from the identity, driven by a stream that depends only on the run's shuffle
     * seed and the epoch: each epoch a fresh permutation, and the same one for a resumed run.
     * split() passes the seed through SplittableRandom's mixing functions, so neighbouring
     * epochs get unrelated streams.
     */
    private void shuffle(int epoch) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(shuffleSeed + epoch).split();
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    /** The order in which epoch {@code epoch} (from 1) visits the training samples; for tests that replay a run on the host. */
    int[] epochOrder(int epoch) {
        shuffle(epoch);
        return order.clone();
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
