package dev.bp4j.trainer.train;

import java.util.Locale;

/**
 * The learning rate of every step as a pure function of the step, so a resumed run needs only
 * the step count and these settings (which checkpoints record) to continue the schedule.
 *
 * <p>Update t (0-based) of a run of T updates, with base rate η and w warm-up steps:
 * t &lt; w: η·(t + 1)/w (PyTorch's {@code LinearLR(start_factor=1/w, total_iters=w−1)}); then,
 * with s = t − w: constant η; step η·γ^⌊s / (stepEpochs·stepsPerEpoch)⌋ ({@code StepLR});
 * cosine η·½(1 + cos(π·s / (T − w))) ({@code CosineAnnealingLR(T_max=T−w, eta_min=0)}).
 *
 * @param kind        constant, step or cosine
 * @param warmupSteps linear warm-up steps, 0 for none
 * @param stepEpochs  for step: epochs between decays
 * @param gamma       for step: the factor at each decay
 */
public record LearningRateSchedule(Kind kind, int warmupSteps, int stepEpochs, float gamma) {

    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 0, 1, 1f);

    public enum Kind {
        CONSTANT, STEP, COSINE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromId(String id) {
            for (Kind kind : values()) {
                if (kind.id().equals(id)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown learning-rate schedule '" + id + "' (expected constant, step or cosine)");
        }
    }

    public LearningRateSchedule {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("the warm-up steps must not be negative, got " + warmupSteps);
        }
        if (stepEpochs < 1) {
            throw new IllegalArgumentException("the epochs between learning-rate steps must be at least 1, got " + stepEpochs);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("the learning-rate step factor must lie in (0, 1], got " + gamma);
        }
    }

    /** The rate of update {@code step} (0-based) of {@code totalSteps}, in double, rounded to float once by the caller. */
    public double rate(double base, long step, int stepsPerEpoch, long totalSteps) {
        if (step < warmupSteps) {
            return base * (step + 1) / warmupSteps;
        }
        long since = step - warmupSteps;
        return switch (kind) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(gamma, since / ((long) stepEpochs * stepsPerEpoch));
            case COSINE -> {
                long span = Math.max(1, totalSteps - warmupSteps);
                yield base * 0.5 * (1 + Math.cos(Math.PI * Math.min(since, span) / span));
            }
        };
    }

    /** As the command line and the metadata write it, e.g. {@code cosine, warm-up 500}. */
    public String describe() {
        String text = kind == Kind.STEP ? "step ×" + gamma + " every " + stepEpochs + " epochs" : kind.id();
        return warmupSteps > 0 ? text + ", warm-up " + warmupSteps + " steps" : text;
    }
}
