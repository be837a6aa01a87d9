package dev.bp4j.trainer.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The update rules a run can use, by their command-line names. */
public enum OptimizerKind {
    SGD(List.of(), 0.5f),
    MOMENTUM(List.of("velocity"), 0.05f),
    ADAM(List.of("first_moment", "second_moment"), 0.003f);

    private final List<String> stateSlots;
    private final float defaultLearningRate;

    OptimizerKind(List<String> stateSlots, float defaultLearningRate) {
        this.stateSlots = stateSlots;
        this.defaultLearningRate = defaultLearningRate;
    }

    /**
     * The learning rate used when none is given: one that trains the usual MLPs on scaled
     * inputs (digits, Fashion-MNIST) steadily with this update rule.
     */
    public float defaultLearningRate() {
        return defaultLearningRate;
    }

    /** The names of the matrices this optimizer keeps per parameter, in {@link OptimizerState}'s order. */
    public List<String> stateSlots() {
        return stateSlots;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OptimizerKind fromId(String id) {
        for (OptimizerKind kind : values()) {
            if (kind.id().equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + id + "' (expected "
                + String.join(", ", Arrays.stream(values()).map(OptimizerKind::id).toList()) + ")");
    }
}
