package dev.bp4j.opencl;

import dev.bp4j.api.Activation;
import dev.bp4j.api.AdamStep;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendStats;
import dev.bp4j.api.DropoutMask;
import dev.bp4j.api.IndexVector;
import dev.bp4j.api.Matrix;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backend on one OpenCL device. Every matrix is a device buffer; every operation enqueues
 * one kernel (or none) on the context's in-order queue and returns, so a training step runs
 * without host round trips; only download and sync wait. Arguments were checked by the facade.
 */
public final class OpenClBackend implements Backend {

    private static final List<String> ACTIVATION_FILES = List.of("activation_functions.h", "activation.cl");
    private static final List<String> BIAS_FILES = List.of("bias.cl");
    private static final List<String> LOSS_FILES = List.of("activation_functions.h", "loss.cl");
    private static final List<String> OPTIMIZER_FILES = List.of("optimizer.cl");
    private static final List<String> DATA_FILES = List.of("data.cl");
    private static final List<String> DROPOUT_FILES = List.of("activation_functions.h", "dropout.cl");
    private static final List<String> CLIPPING_FILES = List.of("clipping.cl");

    /** Work-group shapes, passed to the kernels as their -D tunables so both sides agree. */
    private static final int ELEMENTWISE_GROUP = 256;
    private static final int COLUMN_GROUP = 32;
    private static final int ROW_SPLIT = 8;
    private static final int LOSS_GROUP = 64;
    private static final int COUNT_GROUP = 256;
    private static final int NORM_GROUP = 256;
    private static final String BIAS_DEFINES = "-DCOLUMN_GROUP=" + COLUMN_GROUP + " -DROW_SPLIT=" + ROW_SPLIT;
    private static final String LOSS_DEFINES = "-DLOSS_GROUP=" + LOSS_GROUP + " -DCOUNT_GROUP=" + COUNT_GROUP;
    private static final String CLIPPING_DEFINES = "-DNORM_GROUP=" + NORM_GROUP;

    private final DeviceContext context;
    private final ProgramCache programs;
    private final GemmKernels gemm;
    private final String tuning;
    private final int groupSize;
    /** Matrices and index vectors not yet closed, with their buffers, so close can release them all. */
    private final Map<AutoCloseable, DeviceBuffer> live = new IdentityHashMap<>();
    private boolean closed;

    /** Takes ownership of the context; {@code tuning} says where the gemm tiles came from. */
    OpenClBackend(DeviceContext context, GemmTileSet gemmTiles, String tuning) {
        this.context = context;
        this.programs = new ProgramCache(context);
        this.gemm = new GemmKernels(context, programs, gemmTiles);
        this.tuning = tuning;
        this.groupSize = (int) Math.min(ELEMENTWISE_GROUP, context.device().maxWorkGroupSize());
    }

    @Override
    public String name() {
        return OpenClBackendProvider.NAME;
    }

    @Override
    public String deviceDescription() {
        OpenClDevice device = context.device();
        return device.name() + " (" + device.type() + ", " + device.platformName() + ", " + device.openClVersion()
                + ", driver " + device.driverVersion() + "), " + device.computeUnits() + " compute units; gemm tiles "
                + gemm.tiles().text() + " (" + tuning + ")";
    }

    /** Kernels are enqueued on an in-order queue; only download and sync wait for it. */
    @Override
    public boolean finishesOnReturn() {
        return false;
    }

    /** The tile shapes products use, as tuned or by default. */
    GemmTileSet gemmTiles() {
        return gemm.tiles();
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public Matrix allocate(int rows, int cols) {
        DeviceBuffer buffer = context.allocate((long) Float.BYTES * rows * cols);
        OpenClMatrix matrix = new OpenClMatrix(this, rows, cols, buffer);
        live.put(matrix, buffer);
        return matrix;
    }

    @Override
    public void upload(float[] source, Matrix destination) {
        context.write(source, buffer(destination));
    }

    @Override
    public void download(Matrix source, float[] destination) {
        context.read(buffer(source), destination);
    }

    @Override
    public IndexVector allocateIndices(int length) {
        DeviceBuffer buffer = context.allocate((long) Integer.BYTES * length);
        OpenClIndexVector indices = new OpenClIndexVector(this, length, buffer);
        live.put(indices, buffer);
        return indices;
    }

    @Override
    public void upload(int[] source, IndexVector destination) {
        context.write(source, ((OpenClIndexVector) destination).buffer());
    }

    @Override
    public void sync() {
        context.finish();
    }

    void release(AutoCloseable handle, DeviceBuffer buffer) {
        if (live.remove(handle) != null) {
            context.release(buffer);
        }
    }

    // ---- matrix products ----------------------------------------------------------------------

    @Override
    public void gemm(boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c) {
        int k = transposeA ? a.rows() : a.cols();
        gemm.run(transposeA, transposeB, c.rows(), c.cols(), k, alpha, buffer(a), buffer(b), beta, buffer(c),
                GemmKernels.Epilogue.PLAIN, Activation.IDENTITY, buffer(c), buffer(c));
    }

    @Override
    public void denseForward(Matrix input, Matrix weights, Matrix bias, Activation f, Matrix output) {
        gemm.run(false, true, input.rows(), weights.rows(), input.cols(), 1f, buffer(input), buffer(weights), 0f,
                buffer(output), GemmKernels.Epilogue.BIAS_ACTIVATE, f, buffer(bias), buffer(bias));
    }

    @Override
    public void denseBackward(Matrix delta, Matrix weights, Matrix activations, Activation f, Matrix result) {
        gemm.run(false, false, delta.rows(), weights.cols(), delta.cols(), 1f, buffer(delta), buffer(weights), 0f,
                buffer(result), GemmKernels.Epilogue.ACTIVATION_BACKWARD, f, buffer(activations), buffer(activations));
    }

    // ---- elementwise --------------------------------------------------------------------------

    @Override
    public void activate(Activation f, Matrix input, Matrix output) {
        if (f == Activation.IDENTITY) {
            copy(input, output);
            return;
        }
        int n = elements(input);
        launch(ACTIVATION_FILES, "", f.id() + "_forward").integer(n).buffer(buffer(input)).buffer(buffer(output))
                .over(quads(n), groupSize);
    }

    @Override
    public void activationBackward(Activation f, Matrix outputs, Matrix gradient, Matrix result) {
        if (f == Activation.IDENTITY) {
            copy(gradient, result);
            return;
        }
        int n = elements(outputs);
        launch(ACTIVATION_FILES, "", f.id() + "_backward").integer(n).buffer(buffer(outputs)).buffer(buffer(gradient))
                .buffer(buffer(result)).over(quads(n), groupSize);
    }

    @Override
    public void dropoutForward(Activation f, Matrix input, Matrix activations, DropoutMask mask, Matrix output) {
        int n = elements(input);
        dropout("dropout_forward", n, f, mask).buffer(buffer(input)).buffer(buffer(activations)).buffer(buffer(output))
                .over(philoxBlocks(n), groupSize);
    }

    @Override
    public void dropoutBackward(Activation f, Matrix activations, Matrix gradient, DropoutMask mask, Matrix result) {
        int n = elements(activations);
        dropout("dropout_backward", n, f, mask).buffer(buffer(activations)).buffer(buffer(gradient)).buffer(buffer(result))
                .over(philoxBlocks(n), groupSize);
    }

    /** Work items for the dropout kernels: one per Philox block, 16 per tile of 128 elements (dropout.cl). */
    private static long philoxBlocks(int n) {
        return (n + 127L) / 128 * 16;
    }

    /** The arguments both dropout kernels share. */
    private KernelLaunch dropout(String kernel, int n, Activation f, DropoutMask mask) {
        return launch(DROPOUT_FILES, "", kernel).integer(n).integer(GemmKernels.activationCode(f)).integer(mask.dropThreshold())
                .real(mask.keepScale()).integer(mask.keyLow()).integer(mask.keyHigh()).integer(mask.streamLow())
                .integer(mask.streamHigh());
    }

    @Override
    public void hadamard(Matrix a, Matrix b, Matrix result) {
        int n = elements(a);
        launch(ACTIVATION_FILES, "", "hadamard").integer(n).buffer(buffer(a)).buffer(buffer(b)).buffer(buffer(result))
                .over(quads(n), groupSize);
    }

    @Override
    public void addRowVector(Matrix bias, Matrix matrix) {
        launch(BIAS_FILES, BIAS_DEFINES, "add_row_vector").integer(matrix.rows()).integer(matrix.cols())
                .buffer(buffer(bias)).buffer(buffer(matrix))
                .over(matrix.cols(), matrix.rows(), COLUMN_GROUP, Math.max(1, groupSize / COLUMN_GROUP));
    }

    @Override
    public void columnSums(float alpha, Matrix matrix, float beta, Matrix result) {
        launch(BIAS_FILES, BIAS_DEFINES, "column_sums").integer(matrix.rows()).integer(matrix.cols()).real(alpha).real(beta)
                .buffer(buffer(matrix)).buffer(buffer(result))
                .over(matrix.cols(), ROW_SPLIT, COLUMN_GROUP, ROW_SPLIT);
    }

    // ---- losses -------------------------------------------------------------------------------

    @Override
    public void softmaxCrossEntropy(Matrix logits, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        loss("softmax_cross_entropy", logits, targets, scale, gradient, rowLoss);
    }

    @Override
    public void sigmoidCrossEntropy(Matrix logits, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        loss("sigmoid_cross_entropy", logits, targets, scale, gradient, rowLoss);
    }

    @Override
    public void squaredError(Matrix outputs, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        loss("squared_error", outputs, targets, scale, gradient, rowLoss);
    }

    /** One work group per row (loss.cl). */
    private void loss(String kernel, Matrix outputs, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        launch(LOSS_FILES, LOSS_DEFINES, kernel).integer(outputs.cols()).real(scale).buffer(buffer(outputs))
                .buffer(buffer(targets)).buffer(buffer(gradient)).buffer(buffer(rowLoss))
                .over((long) outputs.rows() * LOSS_GROUP, LOSS_GROUP);
    }

    @Override
    public void countCorrect(Matrix scores, Matrix targets, float threshold, Matrix counter) {
        launch(LOSS_FILES, LOSS_DEFINES, "count_correct").integer(scores.rows()).integer(scores.cols()).real(threshold)
                .buffer(buffer(scores)).buffer(buffer(targets)).buffer(buffer(counter))
                .over(COUNT_GROUP, COUNT_GROUP);
    }

    // ---- gradient clipping --------------------------------------------------------------------

    @Override
    public void sumOfSquares(Matrix matrix, Matrix accumulator) {
        launch(CLIPPING_FILES, CLIPPING_DEFINES, "sum_of_squares").integer(elements(matrix)).buffer(buffer(matrix))
                .buffer(buffer(accumulator)).over(NORM_GROUP, NORM_GROUP);
    }

    @Override
    public void clipToNorm(Matrix squaredNorm, float maxNorm, Matrix matrix) {
        int n = elements(matrix);
        launch(CLIPPING_FILES, CLIPPING_DEFINES, "clip_to_norm").integer(n).real(maxNorm).buffer(buffer(squaredNorm))
                .buffer(buffer(matrix)).over(n, groupSize);
    }

    // ---- optimizer updates --------------------------------------------------------------------

    @Override
    public void sgdUpdate(Matrix parameters, Matrix gradient, float learningRate, float weightDecay) {
        int n = elements(parameters);
        launch(OPTIMIZER_FILES, "", "sgd_update").integer(n).real(learningRate).real(weightDecay)
                .buffer(buffer(parameters)).buffer(buffer(gradient)).over(n, groupSize);
    }

    @Override
    public void momentumUpdate(Matrix parameters, Matrix gradient, Matrix velocity, float learningRate, float momentum,
                               float weightDecay) {
        int n = elements(parameters);
        launch(OPTIMIZER_FILES, "", "momentum_update").integer(n).real(learningRate).real(momentum).real(weightDecay)
                .buffer(buffer(parameters)).buffer(buffer(gradient)).buffer(buffer(velocity)).over(n, groupSize);
    }

    @Override
    public void adamUpdate(Matrix parameters, Matrix gradient, Matrix firstMoment, Matrix secondMoment, AdamStep step) {
        int n = elements(parameters);
        launch(OPTIMIZER_FILES, "", "adam_update").integer(n).real(step.learningRate()).real(step.beta1())
                .real(step.beta2()).real(step.epsilon()).real(step.biasCorrection1()).real(step.biasCorrection2())
                .real(step.decayFactor())
                .buffer(buffer(parameters)).buffer(buffer(gradient)).buffer(buffer(firstMoment))
                .buffer(buffer(secondMoment)).over(n, groupSize);
    }

    // ---- data movement on the device ----------------------------------------------------------

    @Override
    public void gatherRows(Matrix source, IndexVector indices, int offset, Matrix destination) {
        launch(DATA_FILES, "", "gather_rows").integer(destination.rows()).integer(destination.cols()).integer(offset)
                .buffer(((OpenClIndexVector) indices).buffer()).buffer(buffer(source)).buffer(buffer(destination))
                .over(destination.cols(), destination.rows(), COLUMN_GROUP, Math.max(1, groupSize / COLUMN_GROUP));
    }

    @Override
    public void fill(Matrix matrix, float value) {
        int n = elements(matrix);
        launch(DATA_FILES, "", "fill").integer(n).real(value).buffer(buffer(matrix)).over(quads(n), groupSize);
    }

    @Override
    public void copy(Matrix source, Matrix destination) {
        if (source == destination) {
            return;
        }
        int n = elements(source);
        launch(DATA_FILES, "", "copy").integer(n).buffer(buffer(source)).buffer(buffer(destination)).over(quads(n), groupSize);
    }

    // ---- life cycle ---------------------------------------------------------------------------

    @Override
    public BackendStats stats() {
        return context.counters().snapshot();
    }

    /** Buffers, programs and kernels still held, and the context itself; 0 once closed. */
    int liveDeviceObjects() {
        return live.size() + programs.liveObjects() + (closed ? 0 : 1);
    }

    /** Releases everything even after device errors; failures are reported together at the end. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (DeviceBuffer buffer : live.values()) {
            try {
                context.release(buffer);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        live.clear();
        try {
            programs.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            context.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException(context.device().name()
                    + ": closing the OpenCL backend hit " + failures.size() + " release failures");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private KernelLaunch launch(List<String> files, String defines, String kernel) {
        return new KernelLaunch(context, programs.kernel(files, defines, kernel));
    }

    private static DeviceBuffer buffer(Matrix m) {
        return ((OpenClMatrix) m).buffer();
    }

    private static int elements(Matrix m) {
        return m.rows() * m.cols();
    }

    /** Work items for the kernels that take four elements each (activation.cl). */
    private static long quads(int n) {
        return (n + 3L) / 4;
    }
}
