package dev.bp4j.trainer.train;

import java.util.Arrays;
import java.util.Locale;

/** The update rules a run can use, by their command-line names. */
public enum OptimizerKind {
    SGD,
    MOMENTUM,
    ADAM;

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
