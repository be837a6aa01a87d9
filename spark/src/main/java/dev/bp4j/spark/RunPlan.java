package dev.bp4j.spark;

import dev.bp4j.api.Activation;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.TrainingSettings;

/**
 * Everything an executor needs to build its replica, sent to it as {@link Wire} bytes: the run's identity
 * (so replicas of different runs in one executor never mix), the data, the network, the training
 * settings and the backend to open.
 */
record RunPlan(String runId, DataPlan data, int[] widths, Activation hidden, Activation output, LossFunction loss, int epochs,
               int batch, long seed, OptimizerKind optimizer, float learningRate, float momentum, float beta1, float beta2,
               float epsilon, String backend, int threads, boolean strict) {

    static RunPlan of(String runId, DataPlan data, NetworkSpec spec, TrainingSettings settings, String backend, int threads,
                      boolean strict) {
        OptimizerSettings o = settings.optimizer();
        return new RunPlan(runId, data, spec.widths(), spec.hiddenActivation(), spec.outputActivation(), spec.loss(),
                settings.epochs(), settings.batchSize(), settings.seed(), o.kind(), o.learningRate(), o.momentum(), o.beta1(),
                o.beta2(), o.epsilon(), backend, threads, strict);
    }

    NetworkSpec spec() {
        return new NetworkSpec(widths, hidden, output, loss);
    }

    TrainingSettings settings() {
        return new TrainingSettings(epochs, batch, seed,
                new OptimizerSettings(optimizer, learningRate, momentum, beta1, beta2, epsilon));
    }

    /** @param device the accelerator Spark assigned to the task, or null for the backend's default */
    BackendOptions backendOptions(String device) {
        return new BackendOptions(threads, device, strict);
    }

    byte[] toBytes() {
        return Wire.encode(Wire.RUN_PLAN, out -> {
            out.putString(runId);
            data.writeTo(out);
            out.putInts(widths).putEnum(hidden).putEnum(output).putEnum(loss).putInt(epochs).putInt(batch).putLong(seed)
                    .putEnum(optimizer).putFloat(learningRate).putFloat(momentum).putFloat(beta1).putFloat(beta2).putFloat(epsilon)
                    .putString(backend).putInt(threads).putBoolean(strict);
        });
    }

    static RunPlan fromBytes(byte[] bytes) {
        return Wire.decode(Wire.RUN_PLAN, bytes, in -> new RunPlan(in.getString(), DataPlan.readFrom(in), in.getInts(),
                in.getEnum(Activation.class), in.getEnum(Activation.class), in.getEnum(LossFunction.class), in.getInt(), in.getInt(),
                in.getLong(), in.getEnum(OptimizerKind.class), in.getFloat(), in.getFloat(), in.getFloat(), in.getFloat(),
                in.getFloat(), in.getString(), in.getInt(), in.getBoolean()));
    }
}
