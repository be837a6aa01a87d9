package dev.bp4j.trainer.data;

/** Class labels as one-hot target rows, the form softmax cross-entropy trains against. */
final class OneHot {

    private OneHot() {
    }

    /** {@code classes.length × classCount}, row-major: a 1 in each row's class column, 0 elsewhere. */
    static float[] encode(int[] classes, int classCount) {
        float[] targets = new float[classes.length * classCount];
        for (int i = 0; i < classes.length; i++) {
            targets[i * classCount + classes[i]] = 1f;
        }
        return targets;
    }
}
