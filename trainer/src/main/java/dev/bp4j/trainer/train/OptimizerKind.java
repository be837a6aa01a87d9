package dev.bp4j.trainer.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The update rules a run can use, by their command-line names. */
public enum OptimizerKind {
    SGD(List.of()),
    MOMENTUM(List.of("velocity")),
    ADAM(List.of("first_moment", "second_moment"));

    private final List<String> stateSlots;

    OptimizerKind(List<String> stateSlots) {
        this.stateSlots = stateSlots;
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
