package dev.bp4j.trainer.train;

/**
 * A network's mean loss over a data set and, for classification, the share of samples it
 * classifies right (NaN for regression).
 */
public record Evaluation(int samples, double loss, double accuracy) {

    public boolean hasAccuracy() {
        return !Double.isNaN(accuracy);
    }
}
