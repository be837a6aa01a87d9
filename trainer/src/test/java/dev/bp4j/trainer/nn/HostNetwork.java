package dev.bp4j.trainer.nn;

/**
 * The network's forward pass and loss on the host in float64, written independently of the
 * backend code: the function whose finite differences the analytic gradients are checked
 * against. Parameters are layer-major: weights[l] is (out × in) row-major, biases[l] has out values.
 */
public final class HostNetwork {

    private final NetworkSpec spec;

    public HostNetwork(NetworkSpec spec) {
        this.spec = spec;
    }

    /** The mean over the batch of the per-row loss, for inputs x (batch × in) and targets y (batch × out). */
    public double meanLoss(double[][] weights, double[][] biases, double[] x, double[] y, int batch) {
        double total = 0;
        for (int row = 0; row < batch; row++) {
            double[] a = new double[spec.inputs()];
            System.arraycopy(x, row * spec.inputs(), a, 0, a.length);
            for (int l = 0; l < spec.layerCount(); l++) {
                int in = spec.width(l);
                int out = spec.width(l + 1);
                double[] next = new double[out];
                for (int o = 0; o < out; o++) {
                    double z = biases[l][o];
                    for (int i = 0; i < in; i++) {
                        z += weights[l][o * in + i] * a[i];
                    }
                    next[o] = spec.activationOf(l).apply(z);
                }
                a = next;
            }
            total += rowLoss(a, y, row * spec.outputs());
        }
        return total / batch;
    }

    private double rowLoss(double[] output, double[] y, int targetOffset) {
        int n = output.length;
        double loss = 0;
        switch (spec.loss()) {
            case SOFTMAX_CROSS_ENTROPY -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double z : output) {
                    max = Math.max(max, z);
                }
                double sum = 0;
                for (double z : output) {
                    sum += Math.exp(z - max);
                }
                double logSum = max + Math.log(sum);
                for (int j = 0; j < n; j++) {
                    loss -= y[targetOffset + j] * (output[j] - logSum);
                }
            }
            case SIGMOID_CROSS_ENTROPY -> {
                for (int j = 0; j < n; j++) {
                    double p = 1 / (1 + Math.exp(-output[j]));
                    double t = y[targetOffset + j];
                    loss -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
                }
            }
            case QUADRATIC -> {
                for (int j = 0; j < n; j++) {
                    double d = output[j] - y[targetOffset + j];
                    loss += 0.5 * d * d;
                }
            }
        }
        return loss;
    }
}
