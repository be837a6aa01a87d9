package dev.bp4j.trainer.io;

import java.util.Arrays;
import java.util.Locale;

/**
 * Places where the crash tests stop a run the way {@code kill -9} would. A JVM started with
 * {@code -Dbp4j.crash-at=checkpoint-mid-write:2} halts ({@link Runtime#halt}: no shutdown hooks,
 * no {@code finally} blocks, no buffers flushed) the second time it reaches
 * {@link #CHECKPOINT_MID_WRITE}. Without the property, {@link #reached} only reads a field that
 * is set once, when the class loads.
 */
public enum CrashPoint {

    /** Between two training steps, after the first one's operations were enqueued. */
    BETWEEN_STEPS,
    /** Inside a checkpoint's temporary file, after its header and before its tensors. */
    CHECKPOINT_MID_WRITE,
    /** After an atomic write forced its temporary file to disk, before the rename. */
    BEFORE_RENAME;

    public static final String PROPERTY = "bp4j.crash-at";
    /** The status a halted run exits with: what a shell reports for a process killed by signal 9. */
    public static final int EXIT_STATUS = 137;

    private static final CrashPoint ARMED;
    private static final int ARMED_AT;
    private static int passes;

    static {
        String setting = System.getProperty(PROPERTY);
        if (setting == null || setting.isBlank()) {
            ARMED = null;
            ARMED_AT = 0;
        } else {
            int colon = setting.lastIndexOf(':');
            try {
                ARMED = CrashPoint.fromId(colon < 0 ? setting : setting.substring(0, colon));
                ARMED_AT = colon < 0 ? 1 : Integer.parseInt(setting.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PROPERTY + "=" + setting + ": expected NAME[:N] with NAME one of "
                        + Arrays.stream(values()).map(CrashPoint::id).toList() + " and N ≥ 1", e);
            }
            if (ARMED_AT < 1) {
                throw new IllegalArgumentException(PROPERTY + "=" + setting + ": N must be at least 1");
            }
        }
    }

    /** The name used in the system property, e.g. {@code checkpoint-mid-write}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static CrashPoint fromId(String id) {
        for (CrashPoint point : values()) {
            if (point.id().equals(id)) {
                return point;
            }
        }
        throw new IllegalArgumentException("unknown crash point '" + id + "'");
    }

    /** Halts the JVM if this is the armed point and it has now been reached the armed number of times. */
    public void reached() {
        if (this == ARMED && ++passes == ARMED_AT) {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
