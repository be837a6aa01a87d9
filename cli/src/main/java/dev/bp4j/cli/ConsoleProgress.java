package dev.bp4j.cli;

import dev.bp4j.trainer.train.EpochSummary;
import dev.bp4j.trainer.train.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What {@code bp4j train} shows while it runs: one line per epoch on the output, and, when
 * stderr is a terminal (the launcher sets {@code -Dbp4j.progress=true} then), a live bar per
 * epoch with samples/s, the running loss and the time left.
 */
final class ConsoleProgress implements TrainingListener {

    /** Reads of the running loss per epoch for the bar; each read waits for the device. */
    private static final int BAR_UPDATES_PER_EPOCH = 20;

    private final PrintWriter out;
    private final PrintStream terminal;
    private final int epochs;
    private ProgressBar bar;

    /** @param terminal where the live bar goes, or null for none */
    ConsoleProgress(PrintWriter out, PrintStream terminal, int epochs) {
        this.out = out;
        this.terminal = terminal;
        this.epochs = epochs;
    }

    /** True when the launcher found stderr to be a terminal. */
    static boolean terminalWanted() {
        return Boolean.getBoolean("bp4j.progress");
    }

    @Override
    public int progressEverySteps(int stepsPerEpoch) {
        return terminal == null ? 0 : Math.max(5, stepsPerEpoch / BAR_UPDATES_PER_EPOCH);
    }

    @Override
    public void epochStarted(int epoch, int steps, int samples) {
        if (terminal != null) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(samples)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" samples", 1)
                    .showSpeed()
                    .setSpeedUnit(ChronoUnit.SECONDS)
                    .setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(terminal))
                    .clearDisplayOnFinish()
                    .build();
        }
    }

    @Override
    public void progress(int epoch, int stepsDone, long samplesDone, double meanLoss, double learningRate) {
        if (bar != null) {
            bar.stepTo(samplesDone);
            bar.setExtraMessage(String.format(Locale.ROOT, "  loss %.4f  lr %.3g", meanLoss, learningRate));
        }
    }

    @Override
    public void epochFinished(EpochSummary summary) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.println(formatEpoch(summary, epochs));
        out.flush();
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
