package dev.bp4j.api;

/**
 * The operations that batch backpropagation needs, on matrices resident on one device.
 *
 * <p>Conventions. Matrices are float32, row-major. A batch is a matrix with one sample per row.
 * Dense-layer weights are stored (out × in), as in PyTorch's {@code Linear}, and biases are
 * (1 × out) row vectors. Shapes below are written (rows × cols).
 *
 * <p>Operations may run asynchronously, in the order they are called; only {@link #download}
 * and {@link #sync} wait for the device. Nothing crosses between host and device unless the
 * caller asks for it with {@code upload} or {@code download}.
 *
 * <p>Implementations trust their arguments: callers obtain backends from {@link Backends},
 * which wraps each one in a facade that checks shapes, ownership, closed handles and aliasing
 * once, in one place. Unless an operation says otherwise, an output may be the same matrix as
 * an input only for the elementwise operations ({@link #activate}, {@link #activationBackward},
 * {@link #hadamard}, {@link #copy}); everywhere else outputs must be distinct from inputs.
 *
 * <p>A backend is driven from one thread at a time. Closing it releases every matrix and index
 * vector still open on it.
 */
public interface Backend extends AutoCloseable {

    /** The name this backend is registered under: {@code reference}, {@code cpu}, {@code opencl}. */
    String name();

    /** One line naming the device and how it is used (SIMD width and threads, GPU model and driver). */
    String deviceDescription();

    /**
     * True when every operation has finished by the time it returns, so reading a value back
     * costs no wait (the reference and cpu backends); false when operations are queued to a
     * device and a read waits for the queue to drain (GPUs). Callers decide how often to read
     * the device, e.g. for divergence checks, from this and never from the name.
     */
    boolean finishesOnReturn();

    /**
     * Whether a run's first steps are several times slower than the rest unless the trainer's
     * own steps ran once beforehand (the trainer's {@code warmUp}): true where the JVM compiles
     * the backend's kernels as they run, so the first epoch otherwise pays the compile time.
     */
    default boolean benefitsFromWarmUp() {
        return false;
    }

    // ---- memory -----------------------------------------------------------------------------

    /** A new (rows × cols) matrix, filled with zeros. */
    Matrix allocate(int rows, int cols);

    /** Copies {@code source} (row-major, length rows·cols) into the device matrix. */
    void upload(float[] source, Matrix destination);

    /** Waits for pending operations, then copies the matrix into {@code destination} (length rows·cols). */
    void download(Matrix source, float[] destination);

    /** A new vector of {@code length} zero indices. */
    IndexVector allocateIndices(int length);

    /** Copies {@code source} (length of the vector) into the device index vector. */
    void upload(int[] source, IndexVector destination);

    /** Waits until every operation called so far has finished. */
    void sync();

    // ---- matrix products --------------------------------------------------------------------

    /**
     * C = α·op(A)·op(B) + β·C, where op(X) is X or Xᵀ. op(A) is (m × k), op(B) (k × n), C (m × n).
     * When β = 0, C is not read (NaNs in it do not propagate), as in BLAS.
     */
    void gemm(boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c);

    /**
     * The forward pass of a dense layer: output = f(input · weightsᵀ + bias), with input
     * (batch × in), weights (out × in), bias (1 × out), output (batch × out).
     */
    void denseForward(Matrix input, Matrix weights, Matrix bias, Activation f, Matrix output);

    /**
     * The second backpropagation equation, δˡ = (δˡ⁺¹ · Wˡ⁺¹) ⊙ f′(aˡ): delta (batch × out),
     * weights (out × in), activations aˡ (batch × in) with the function f that made them,
     * result (batch × in).
     */
    void denseBackward(Matrix delta, Matrix weights, Matrix activations, Activation f, Matrix result);

    // ---- elementwise ------------------------------------------------------------------------

    /** output = f(input), elementwise; output may be input. */
    void activate(Activation f, Matrix input, Matrix output);

    /** result = gradient ⊙ f′, with f′ computed from the outputs a = f(z); result may alias either input. */
    void activationBackward(Activation f, Matrix outputs, Matrix gradient, Matrix result);

    /**
     * Inverted dropout fused with the activation: activations = f(input), and output =
     * activations ⊙ keep ⊙ {@link DropoutMask#keepScale()}, where keep is the mask's bit for
     * each element (see {@link DropoutMask}), generated here on the device. activations may be
     * input; output must be distinct from both. All three have one shape.
     */
    void dropoutForward(Activation f, Matrix input, Matrix activations, DropoutMask mask, Matrix output);

    /**
     * The backward pass of {@link #dropoutForward}: result = gradient ⊙ keep ⊙ keepScale ⊙
     * f′(activations), with the same mask's bits regenerated; result may alias gradient.
     */
    void dropoutBackward(Activation f, Matrix activations, Matrix gradient, DropoutMask mask, Matrix result);

    /** result = a ⊙ b, elementwise; result may alias either input. */
    void hadamard(Matrix a, Matrix b, Matrix result);

    /** matrix[i, j] += bias[0, j]: adds a (1 × cols) row vector to every row. */
    void addRowVector(Matrix bias, Matrix matrix);

    /** result (1 × cols) = α·(sum of the rows of matrix) + β·result. */
    void columnSums(float alpha, Matrix matrix, float beta, Matrix result);

    // ---- losses: each writes the loss of every row into rowLoss (rows × 1) -----------------

    /**
     * Softmax then cross-entropy, from logits, computed stably (log-sum-exp with the row max
     * subtracted): rowLoss[i] = −Σⱼ yᵢⱼ log softmax(zᵢ)ⱼ and gradient = scale·(softmax(z) − y),
     * the gradient with respect to the logits.
     */
    void softmaxCrossEntropy(Matrix logits, Matrix targets, float scale, Matrix gradient, Matrix rowLoss);

    /**
     * Sigmoid then binary cross-entropy, from logits, computed stably:
     * rowLoss[i] = Σⱼ max(z, 0) − z·y + log(1 + e^−|z|) and gradient = scale·(σ(z) − y),
     * the gradient with respect to the logits.
     */
    void sigmoidCrossEntropy(Matrix logits, Matrix targets, float scale, Matrix gradient, Matrix rowLoss);

    /**
     * The quadratic cost on outputs: rowLoss[i] = ½ Σⱼ (aᵢⱼ − yᵢⱼ)² and
     * gradient = scale·(a − y), the gradient with respect to the outputs.
     */
    void squaredError(Matrix outputs, Matrix targets, float scale, Matrix gradient, Matrix rowLoss);

    /** accumulator (1 × 1) += Σ matrix[i, j]², the sum accumulated in at least float32. */
    void sumOfSquares(Matrix matrix, Matrix accumulator);

    /**
     * Clipping by a global norm, as PyTorch's {@code clip_grad_norm_}: with n = √squaredNorm[0, 0],
     * matrix *= min(1, maxNorm / (n + 10⁻⁶)), the factor computed on the device.
     */
    void clipToNorm(Matrix squaredNorm, float maxNorm, Matrix matrix);

    /**
     * counter (1 × 1) += the number of rows predicted right: for several columns, the first
     * arg-max of scores equals the first arg-max of targets; for one column, (score > threshold)
     * equals (target > 0.5).
     */
    void countCorrect(Matrix scores, Matrix targets, float threshold, Matrix counter);

    // ---- optimizer updates ------------------------------------------------------------------

    /**
     * parameters −= learningRate · (gradient + weightDecay · parameters): L2 weight decay in
     * PyTorch's {@code SGD} form; weightDecay 0 is plain SGD.
     */
    void sgdUpdate(Matrix parameters, Matrix gradient, float learningRate, float weightDecay);

    /**
     * Momentum in PyTorch's form, with L2 weight decay: g = gradient + weightDecay·parameters;
     * velocity = momentum·velocity + g, then parameters −= learningRate · velocity.
     */
    void momentumUpdate(Matrix parameters, Matrix gradient, Matrix velocity, float learningRate, float momentum, float weightDecay);

    /**
     * Adam with decoupled weight decay (AdamW, PyTorch's form): parameters *= 1 − lr·weightDecay;
     * m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; parameters −= lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
     * weightDecay 0 is Adam.
     */
    void adamUpdate(Matrix parameters, Matrix gradient, Matrix firstMoment, Matrix secondMoment, AdamStep step);

    // ---- data movement on the device ----------------------------------------------------------

    /**
     * destination[r, :] = source[indices[offset + r], :] for every row r of destination; the
     * indices must lie in [0, source.rows).
     */
    void gatherRows(Matrix source, IndexVector indices, int offset, Matrix destination);

    /** Every element of matrix = value. */
    void fill(Matrix matrix, float value);

    /** destination = source, same shape. */
    void copy(Matrix source, Matrix destination);

    // ---- life cycle ---------------------------------------------------------------------------

    /** Counters since this backend was opened. */
    BackendStats stats();

    /** Releases every buffer still open and the device resources; closing twice does nothing. */
    @Override
    void close();
}
