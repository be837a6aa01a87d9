package dev.bp4j.trainer.nn;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * A multi-layer perceptron resident on one backend: its layers, the forward pass through all of
 * them and the backward pass that fills every layer's gradient buffers. Owns its matrices.
 */
public final class Network implements AutoCloseable {

    private final Backend backend;
    private final NetworkSpec spec;
    private final List<DenseLayer> layers;

    /** Allocates the layers on the backend and uploads the parameters into them. */
    public Network(Backend backend, NetworkSpec spec, NetworkParameters parameters) {
        parameters.checkMatches(spec);
        this.backend = backend;
        this.spec = spec;
        List<DenseLayer> created = new ArrayList<>();
        try {
            for (int l = 0; l < spec.layerCount(); l++) {
                created.add(new DenseLayer(backend, spec.width(l), spec.width(l + 1), spec.activationOf(l),
                        parameters.weights().get(l), parameters.biases().get(l)));
            }
        } catch (RuntimeException e) {
            created.forEach(DenseLayer::close);
            throw e;
        }
        this.layers = List.copyOf(created);
    }

    public NetworkSpec spec() {
        return spec;
    }

    public List<DenseLayer> layers() {
        return layers;
    }

    /** Every weight matrix and bias with its gradient buffer, layer by layer, for the optimizer. */
    public List<Parameter> parameters() {
        List<Parameter> parameters = new ArrayList<>();
        for (DenseLayer layer : layers) {
            parameters.add(new Parameter(layer.weights(), layer.weightGradient(), false));
            parameters.add(new Parameter(layer.bias(), layer.biasGradient(), true));
        }
        return parameters;
    }

    /** aˡ = f(aˡ⁻¹ · Wˡᵀ + bˡ) for every layer, from a⁰ = workspace.activation(0) to workspace.output(). */
    public void forward(BatchWorkspace workspace) {
        forward(workspace, null, 0);
    }

    /**
     * The training forward pass, with inverted dropout when {@code dropout} is not null. Input
     * dropout masks workspace.input() into a⁰ first. Hidden dropout: each hidden layer writes z
     * into workspace.undropped(l + 1), {@link Backend#dropoutForward} turns it into aˡ = f(z)
     * there and writes the masked, scaled aˡ into workspace.activation(l + 1), which the next
     * layer reads. The workspace must have been made for this dropout.
     */
    public void forward(BatchWorkspace workspace, Dropout dropout, long step) {
        if (dropout != null && dropout.dropsInput()) {
            backend.dropoutForward(Activation.IDENTITY, workspace.input(), workspace.input(), dropout.inputMask(step, layers.size()),
                    workspace.activation(0));
        }
        boolean dropsHidden = dropout != null && dropout.dropsHidden();
        int last = layers.size() - 1;
        for (int l = 0; l <= last; l++) {
            DenseLayer layer = layers.get(l);
            if (dropsHidden && l < last) {
                Matrix undropped = workspace.undropped(l + 1);
                backend.denseForward(workspace.activation(l), layer.weights(), layer.bias(), Activation.IDENTITY, undropped);
                backend.dropoutForward(layer.activation(), undropped, undropped, dropout.mask(step, layers.size(), l),
                        workspace.activation(l + 1));
            } else {
                layer.forward(backend, workspace.activation(l), workspace.activation(l + 1));
            }
        }
    }

    /**
     * Backpropagation from δᴸ, which the loss has already written into workspace.outputDelta():
     * walking the layers in reverse, each layer's gradients (equations 3 and 4), then the error
     * of the layer below (equation 2).
     */
    public void backward(BatchWorkspace workspace) {
        backward(workspace, null, 0);
    }

    /**
     * Backpropagation through the forward pass of the same step and {@code dropout} (null for
     * none). With hidden dropout the error reaching a hidden layer is δ·W without f′
     * ({@link Backend#denseBackward} with the identity), then {@link Backend#dropoutBackward}
     * applies the same mask, its scale and f′ of the undropped activations, in place. Input
     * dropout needs nothing here: the first layer's weight gradient reads the masked a⁰, and no
     * error flows into the inputs.
     */
    public void backward(BatchWorkspace workspace, Dropout dropout, long step) {
        boolean dropsHidden = dropout != null && dropout.dropsHidden();
        for (int l = layers.size() - 1; l >= 0; l--) {
            DenseLayer layer = layers.get(l);
            Matrix delta = workspace.delta(l);
            Matrix input = workspace.activation(l);
            layer.computeGradients(backend, delta, input);
            if (l == 0) {
                continue;
            }
            Matrix below = workspace.delta(l - 1);
            Activation belowActivation = layers.get(l - 1).activation();
            if (dropsHidden) {
                layer.backward(backend, delta, input, Activation.IDENTITY, below);
                backend.dropoutBackward(belowActivation, workspace.undropped(l), below, dropout.mask(step, layers.size(), l - 1), below);
            } else {
                layer.backward(backend, delta, input, belowActivation, below);
            }
        }
    }

    /** Replaces the parameters with {@code parameters}, which must have this network's shapes. */
    public void upload(NetworkParameters parameters) {
        parameters.checkMatches(spec);
        for (int l = 0; l < layers.size(); l++) {
            backend.upload(parameters.weights().get(l), layers.get(l).weights());
            backend.upload(parameters.biases().get(l), layers.get(l).bias());
        }
    }

    /** Copies the parameters back to the host (waits for the device). */
    public NetworkParameters download() {
        List<float[]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        for (DenseLayer layer : layers) {
            float[] w = new float[Math.toIntExact(layer.weights().size())];
            float[] b = new float[Math.toIntExact(layer.bias().size())];
            backend.download(layer.weights(), w);
            backend.download(layer.bias(), b);
            weights.add(w);
            biases.add(b);
        }
        return new NetworkParameters(weights, biases);
    }

    @Override
    public void close() {
        layers.forEach(DenseLayer::close);
    }
}
