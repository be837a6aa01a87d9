package dev.bp4j.trainer.data;

/**
 * The four points of exclusive or, the problem a single perceptron cannot solve and a 2-2-1
 * network can. There is nothing to hold out: the test set is the training set.
 */
final class XorProblem {

    private XorProblem() {
    }

    static UnscaledSplit load() {
        float[] inputs = {0, 0, 0, 1, 1, 0, 1, 1};
        float[] outputs = {0, 1, 1, 0};
        Dataset points = new Dataset("xor", 4, 2, 1, inputs, outputs);
        return new UnscaledSplit(points, points, true, FeatureScaling.NONE);
    }
}
