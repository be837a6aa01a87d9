package dev.bp4j.cli;

import dev.bp4j.trainer.train.EpochSummary;
import dev.bp4j.trainer.train.TrainingListener;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What {@code bp4j train} shows while it runs: an epoch line on the output (every
 * {@code --log-every}th epoch and the last; none with {@code --quiet}), and, when stderr is a
 * terminal (the launcher sets {@code -Dbp4j.progress=true} then), a live line with the epoch's
 * progress, samples/s measured over the real elapsed time, the running loss, and the time left
 * for the epoch and for the whole run. The line's last frame, at 100 %, is drawn when the epoch
 * ends, then cleared for the epoch line.
 */
final class ConsoleProgress implements TrainingListener {

    /** Reads of the running loss per epoch for the live line; each read waits for the device. */
    private static final int UPDATES_PER_EPOCH = 20;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final PrintStream terminal;
    private final int epochs;
    private final int logEvery;
    private final int stepsPerEpoch;
    private final LongSupplier clock;
    /** Steps of the whole run, and how many were done before this process started (a resumed run). */
    private final long totalSteps;
    private final long startStep;
    private long runStart = -1;
    private long epochStart;
    private long step;
    private int epoch;
    private int epochSamples;
    private long epochFirstStep;
    private int lastFrameLength;
    /** The learning rate in force, from the last progress or epoch; NaN before the first. */
    private double rate = Double.NaN;

    /**
     * @param out      where the epoch lines go, or null for none
     * @param terminal where the live line goes, or null for none
     */
    ConsoleProgress(PrintWriter out, PrintStream terminal, int epochs, int logEvery, int stepsPerEpoch, long startStep) {
        this(out, terminal, epochs, logEvery, stepsPerEpoch, startStep, System::nanoTime);
    }

    ConsoleProgress(PrintWriter out, PrintStream terminal, int epochs, int logEvery, int stepsPerEpoch, long startStep, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.epochs = epochs;
        this.logEvery = logEvery;
        this.stepsPerEpoch = stepsPerEpoch;
        this.totalSteps = (long) epochs * stepsPerEpoch;
        this.startStep = startStep;
        this.step = startStep;
        this.clock = clock;
    }

    /** True when the launcher found stderr to be a terminal. */
    static boolean terminalWanted() {
        return Boolean.getBoolean("bp4j.progress");
    }

    @Override
    public int progressEverySteps(int steps) {
        return terminal == null ? 0 : Math.max(1, steps / UPDATES_PER_EPOCH);
    }

    @Override
    public void epochStarted(int epochNumber, int steps, int samples) {
        epoch = epochNumber;
        epochSamples = samples;
        epochStart = clock.getAsLong();
        epochFirstStep = step;
        if (runStart < 0) {
            runStart = epochStart;
        }
    }

    @Override
    public void stepFinished(long stepNumber) {
        step = stepNumber;
    }

    @Override
    public void progress(int epochNumber, int stepsDone, long samplesDone, double meanLoss, double learningRate) {
        rate = learningRate;
        if (terminal != null) {
            draw(frame(samplesDone, meanLoss));
        }
    }

    @Override
    public void epochFinished(EpochSummary summary) {
        rate = summary.learningRate();
        if (terminal != null) {
            draw(frame(epochSamples, summary.trainLoss()));
            terminal.print("\r" + " ".repeat(lastFrameLength) + "\r");
            terminal.flush();
            lastFrameLength = 0;
        }
        if (out != null && (summary.epoch() % logEvery == 0 || summary.epoch() == epochs)) {
            out.println(formatEpoch(summary, epochs));
            out.flush();
        }
    }

    /** One frame of the live line, e.g. {@code epoch 3/10 [#########---------------]  38%  28,912 samples/s  loss 0.4123  ETA epoch 0:05, run 1:12}. */
    String frame(long samplesDone, double meanLoss) {
        long now = clock.getAsLong();
        double epochSeconds = (now - epochStart) / 1e9;
        double runSeconds = (now - runStart) / 1e9;
        double fraction = Math.min(1, (double) samplesDone / epochSamples);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        long epochStepsDone = step - epochFirstStep;
        long runStepsDone = step - startStep;
        // Samples of this epoch done by this process (a resumed epoch starts part-way) over the real time they took.
        double samplesHere = epochStepsDone * (double) epochSamples / stepsPerEpoch;
        String speed = epochSeconds > 0 && epochStepsDone > 0
                ? String.format(Locale.ROOT, "%,.0f samples/s", Math.min(samplesHere, epochSamples) / epochSeconds) : "— samples/s";
        String epochLeft = epochStepsDone > 0
                ? duration(epochSeconds / epochStepsDone * Math.max(0, stepsPerEpoch - (step - (long) (epoch - 1) * stepsPerEpoch))) : "?";
        String runLeft = runStepsDone > 0 ? duration(runSeconds / runStepsDone * Math.max(0, totalSteps - step)) : "?";
        String learning = Double.isNaN(rate) ? "" : String.format(Locale.ROOT, "  lr %.3g", rate);
        return String.format(Locale.ROOT, "epoch %d/%d [%s%s] %3d%%  %s  loss %.4f%s  ETA epoch %s, run %s", epoch, epochs,
                "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), Math.round(fraction * 100), speed, meanLoss, learning, epochLeft,
                runLeft);
    }

    private void draw(String frame) {
        terminal.print("\r" + frame + " ".repeat(Math.max(0, lastFrameLength - frame.length())));
        terminal.flush();
        lastFrameLength = frame.length();
    }

    /** h:mm:ss, or m:ss under an hour. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    static String formatEpoch(EpochSummary s, int epochs) {
        int digits = Integer.toString(epochs).length();
        String quality = s.test().hasAccuracy()
                ? String.format(Locale.ROOT, "train acc %.4f  test acc %.4f", s.trainAccuracy(), s.test().accuracy())
                : String.format(Locale.ROOT, "test loss %.6f", s.test().loss());
        String validation = !s.validated() ? ""
                : s.validation().hasAccuracy()
                ? String.format(Locale.ROOT, "  val loss %.4f  val acc %.4f", s.validation().loss(), s.validation().accuracy())
                : String.format(Locale.ROOT, "  val loss %.6f", s.validation().loss());
        return String.format(Locale.ROOT, "epoch %" + digits + "d/%d  train loss %.4f  %s%s  lr %.3g  %,.0f samples/s",
                s.epoch(), epochs, s.trainLoss(), quality, validation, s.learningRate(), s.samplesPerSecond());
    }
}
