package dev.bp4j.reference;

import dev.bp4j.api.Activation;
import dev.bp4j.api.AdamStep;
import dev.bp4j.api.DropoutMask;
import dev.bp4j.api.HeapBackend;
import dev.bp4j.api.HeapIndexVector;
import dev.bp4j.api.HeapMatrix;
import dev.bp4j.api.IndexVector;
import dev.bp4j.api.Matrix;

/**
 * The oracle: every operation as the plainest loops that implement its contract, accumulating
 * in double. It is deliberately slow and obvious; faster backends are tested against it, and it
 * runs the trainer's gradient checks. One thread, synchronous, on the Java heap.
 */
public final class ReferenceBackend extends HeapBackend {


    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String deviceDescription() {
        return "Java heap, scalar loops with float64 accumulation, 1 thread";
    }

    // ---- matrix products ----------------------------------------------------------------------

    @Override
    public void gemm(boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c) {
        counters().launched(1);
        HeapMatrix ma = (HeapMatrix) a;
        HeapMatrix mb = (HeapMatrix) b;
        HeapMatrix mc = (HeapMatrix) c;
        int k = transposeA ? a.rows() : a.cols();
        for (int i = 0; i < c.rows(); i++) {
            for (int j = 0; j < c.cols(); j++) {
                double result = alpha * dot(transposeA, ma, i, transposeB, mb, j, k);
                if (beta != 0) {
                    result += (double) beta * mc.get(i, j);
                }
                mc.set(i, j, (float) result);
            }
        }
    }

    @Override
    public void denseForward(Matrix input, Matrix weights, Matrix bias, Activation f, Matrix output) {
        counters().launched(1);
        HeapMatrix x = (HeapMatrix) input;
        HeapMatrix w = (HeapMatrix) weights;
        HeapMatrix b = (HeapMatrix) bias;
        HeapMatrix out = (HeapMatrix) output;
        for (int i = 0; i < x.rows(); i++) {
            for (int o = 0; o < w.rows(); o++) {
                // x·Wᵀ: row i of x against row o of W, after the bias.
                double z = b.get(0, o) + dot(false, x, i, true, w, o, x.cols());
                out.set(i, o, (float) f.apply(z));
            }
        }
    }

    @Override
    public void denseBackward(Matrix delta, Matrix weights, Matrix activations, Activation f, Matrix result) {
        counters().launched(1);
        HeapMatrix d = (HeapMatrix) delta;
        HeapMatrix w = (HeapMatrix) weights;
        HeapMatrix a = (HeapMatrix) activations;
        HeapMatrix r = (HeapMatrix) result;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                double sum = dot(false, d, i, false, w, j, d.cols());
                r.set(i, j, (float) (sum * f.derivative(a.get(i, j))));
            }
        }
    }

    /** Σₚ op(A)[i, p]·op(B)[p, j] over p in [0, k), in float64, in order of p: the one dot product of all three products. */
    private static double dot(boolean transposeA, HeapMatrix a, int i, boolean transposeB, HeapMatrix b, int j, int k) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
            double aip = transposeA ? a.get(p, i) : a.get(i, p);
            double bpj = transposeB ? b.get(j, p) : b.get(p, j);
            sum += aip * bpj;
        }
        return sum;
    }

    // ---- elementwise --------------------------------------------------------------------------

    @Override
    public void activate(Activation f, Matrix input, Matrix output) {
        counters().launched(1);
        float[] x = data(input);
        float[] y = data(output);
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) f.apply(x[i]);
        }
    }

    @Override
    public void activationBackward(Activation f, Matrix outputs, Matrix gradient, Matrix result) {
        counters().launched(1);
        float[] a = data(outputs);
        float[] g = data(gradient);
        float[] r = data(result);
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) (g[i] * f.derivative(a[i]));
        }
    }

    @Override
    public void dropoutForward(Activation f, Matrix input, Matrix activations, DropoutMask mask, Matrix output) {
        counters().launched(1);
        float[] z = data(input);
        float[] a = data(activations);
        float[] y = data(output);
        for (int i = 0; i < z.length; i++) {
            a[i] = (float) f.apply(z[i]);
            y[i] = mask.keeps(i) ? a[i] * mask.keepScale() : 0f;
        }
    }

    @Override
    public void dropoutBackward(Activation f, Matrix activations, Matrix gradient, DropoutMask mask, Matrix result) {
        counters().launched(1);
        float[] a = data(activations);
        float[] g = data(gradient);
        float[] r = data(result);
        for (int i = 0; i < a.length; i++) {
            r[i] = mask.keeps(i) ? (float) ((double) g[i] * mask.keepScale() * f.derivative(a[i])) : 0f;
        }
    }

    @Override
    public void hadamard(Matrix a, Matrix b, Matrix result) {
        counters().launched(1);
        float[] x = data(a);
        float[] y = data(b);
        float[] r = data(result);
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i] * y[i];
        }
    }

    @Override
    public void addRowVector(Matrix bias, Matrix matrix) {
        counters().launched(1);
        HeapMatrix b = (HeapMatrix) bias;
        HeapMatrix m = (HeapMatrix) matrix;
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                m.set(i, j, m.get(i, j) + b.get(0, j));
            }
        }
    }

    @Override
    public void columnSums(float alpha, Matrix matrix, float beta, Matrix result) {
        counters().launched(1);
        HeapMatrix m = (HeapMatrix) matrix;
        HeapMatrix r = (HeapMatrix) result;
        for (int j = 0; j < m.cols(); j++) {
            double sum = 0;
            for (int i = 0; i < m.rows(); i++) {
                sum += m.get(i, j);
            }
            double value = alpha * sum;
            if (beta != 0) {
                value += (double) beta * r.get(0, j);
            }
            r.set(0, j, (float) value);
        }
    }

    // ---- losses -------------------------------------------------------------------------------

    @Override
    public void softmaxCrossEntropy(Matrix logits, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        counters().launched(1);
        HeapMatrix z = (HeapMatrix) logits;
        HeapMatrix y = (HeapMatrix) targets;
        HeapMatrix g = (HeapMatrix) gradient;
        HeapMatrix loss = (HeapMatrix) rowLoss;
        for (int i = 0; i < z.rows(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < z.cols(); j++) {
                max = Math.max(max, z.get(i, j));
            }
            double sumExp = 0;
            for (int j = 0; j < z.cols(); j++) {
                sumExp += Math.exp(z.get(i, j) - max);
            }
            double logSumExp = max + Math.log(sumExp);
            double rowTotal = 0;
            for (int j = 0; j < z.cols(); j++) {
                double logSoftmax = z.get(i, j) - logSumExp;
                double target = y.get(i, j);
                if (target != 0) {
                    rowTotal -= target * logSoftmax;
                }
                g.set(i, j, (float) (scale * (Math.exp(logSoftmax) - target)));
            }
            loss.set(i, 0, (float) rowTotal);
        }
    }

    @Override
    public void sigmoidCrossEntropy(Matrix logits, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        counters().launched(1);
        HeapMatrix z = (HeapMatrix) logits;
        HeapMatrix y = (HeapMatrix) targets;
        HeapMatrix g = (HeapMatrix) gradient;
        HeapMatrix loss = (HeapMatrix) rowLoss;
        for (int i = 0; i < z.rows(); i++) {
            double rowTotal = 0;
            for (int j = 0; j < z.cols(); j++) {
                double zij = z.get(i, j);
                double yij = y.get(i, j);
                rowTotal += Math.max(zij, 0) - zij * yij + Math.log1p(Math.exp(-Math.abs(zij)));
                g.set(i, j, (float) (scale * (Activation.SIGMOID.apply(zij) - yij)));
            }
            loss.set(i, 0, (float) rowTotal);
        }
    }

    @Override
    public void squaredError(Matrix outputs, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        counters().launched(1);
        HeapMatrix a = (HeapMatrix) outputs;
        HeapMatrix y = (HeapMatrix) targets;
        HeapMatrix g = (HeapMatrix) gradient;
        HeapMatrix loss = (HeapMatrix) rowLoss;
        for (int i = 0; i < a.rows(); i++) {
            double rowTotal = 0;
            for (int j = 0; j < a.cols(); j++) {
                double difference = (double) a.get(i, j) - y.get(i, j);
                rowTotal += 0.5 * difference * difference;
                g.set(i, j, (float) (scale * difference));
            }
            loss.set(i, 0, (float) rowTotal);
        }
    }

    @Override
    public void sumOfSquares(Matrix matrix, Matrix accumulator) {
        counters().launched(1);
        double sum = 0;
        for (float x : data(matrix)) {
            sum += (double) x * x;
        }
        float[] total = data(accumulator);
        total[0] = (float) (total[0] + sum);
    }

    @Override
    public void clipToNorm(Matrix squaredNorm, float maxNorm, Matrix matrix) {
        counters().launched(1);
        double factor = Math.min(1.0, maxNorm / (Math.sqrt(data(squaredNorm)[0]) + 1e-6));
        float[] m = data(matrix);
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) (m[i] * factor);
        }
    }

    @Override
    public void countCorrect(Matrix scores, Matrix targets, float threshold, Matrix counter) {
        counters().launched(1);
        HeapMatrix s = (HeapMatrix) scores;
        HeapMatrix y = (HeapMatrix) targets;
        int correct = 0;
        for (int i = 0; i < s.rows(); i++) {
            boolean right = s.cols() == 1
                    ? (s.get(i, 0) > threshold) == (y.get(i, 0) > 0.5f)
                    : argmax(s, i) == argmax(y, i);
            if (right) {
                correct++;
            }
        }
        HeapMatrix c = (HeapMatrix) counter;
        c.set(0, 0, c.get(0, 0) + correct);
    }

    private static int argmax(HeapMatrix m, int row) {
        int best = 0;
        for (int j = 1; j < m.cols(); j++) {
            if (m.get(row, j) > m.get(row, best)) {
                best = j;
            }
        }
        return best;
    }

    // ---- optimizer updates --------------------------------------------------------------------

    @Override
    public void sgdUpdate(Matrix parameters, Matrix gradient, float learningRate, float weightDecay) {
        counters().launched(1);
        float[] p = data(parameters);
        float[] g = data(gradient);
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (p[i] - (double) learningRate * (g[i] + (double) weightDecay * p[i]));
        }
    }

    @Override
    public void momentumUpdate(Matrix parameters, Matrix gradient, Matrix velocity, float learningRate, float momentum,
                               float weightDecay) {
        counters().launched(1);
        float[] p = data(parameters);
        float[] g = data(gradient);
        float[] v = data(velocity);
        for (int i = 0; i < p.length; i++) {
            v[i] = (float) ((double) momentum * v[i] + g[i] + (double) weightDecay * p[i]);
            p[i] = (float) (p[i] - (double) learningRate * v[i]);
        }
    }

    @Override
    public void adamUpdate(Matrix parameters, Matrix gradient, Matrix firstMoment, Matrix secondMoment, AdamStep step) {
        counters().launched(1);
        float[] p = data(parameters);
        float[] g = data(gradient);
        float[] m = data(firstMoment);
        float[] v = data(secondMoment);
        double correction1 = step.biasCorrection1();
        double correction2 = step.biasCorrection2();
        for (int i = 0; i < p.length; i++) {
            m[i] = (float) (step.beta1() * (double) m[i] + (1.0 - step.beta1()) * g[i]);
            v[i] = (float) (step.beta2() * (double) v[i] + (1.0 - step.beta2()) * (double) g[i] * g[i]);
            double mHat = m[i] / correction1;
            double vHat = v[i] / correction2;
            double decayed = p[i] * (1.0 - (double) step.learningRate() * step.weightDecay());
            p[i] = (float) (decayed - step.learningRate() * mHat / (Math.sqrt(vHat) + step.epsilon()));
        }
    }

    // ---- data movement ------------------------------------------------------------------------

    @Override
    public void gatherRows(Matrix source, IndexVector indices, int offset, Matrix destination) {
        counters().launched(1);
        int[] index = ((HeapIndexVector) indices).indices();
        int cols = source.cols();
        for (int r = 0; r < destination.rows(); r++) {
            System.arraycopy(data(source), index[offset + r] * cols, data(destination), r * cols, cols);
        }
    }

    @Override
    public void fill(Matrix matrix, float value) {
        counters().launched(1);
        java.util.Arrays.fill(data(matrix), value);
    }

    @Override
    public void copy(Matrix source, Matrix destination) {
        counters().launched(1);
        System.arraycopy(data(source), 0, data(destination), 0, (int) source.size());
    }
}
