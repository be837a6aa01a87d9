package dev.bp4j.cli;

import dev.bp4j.trainer.train.EpochSummary;
import dev.bp4j.trainer.train.Evaluation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live line and the epoch lines, on a clock the test moves. */
class ConsoleProgressTest {

    private static final long SECOND = 1_000_000_000L;

    /** 10 epochs of 100 steps of 10 samples. */
    private final AtomicLong now = new AtomicLong();
    private final ByteArrayOutputStream terminalBytes = new ByteArrayOutputStream();
    private final StringWriter lines = new StringWriter();

    private ConsoleProgress progress(int logEvery, long startStep) {
        return new ConsoleProgress(new PrintWriter(lines, true), new PrintStream(terminalBytes, true, StandardCharsets.UTF_8), 10, logEvery,
                100, startStep, now::get);
    }

    private static EpochSummary epoch(int e) {
        return new EpochSummary(e, 100, 0.5, 0.8, new Evaluation(100, 0.6, 0.75), 2.0, 500, 1000, 0, null, 0.01);
    }

    @Test
    void samplesPerSecondComeFromTheRealElapsedTimeFromTheFirstFrame() {
        ConsoleProgress p = progress(1, 0);
        p.epochStarted(1, 100, 1000);
        for (long s = 1; s <= 10; s++) {
            p.stepFinished(s);
        }
        now.set(SECOND / 4); // 100 samples in a quarter of a second: 400/s, within the first second
        String frame = p.frame(100, 1.25);
        assertTrue(frame.contains(" 10%  400 samples/s  loss 1.2500"), frame);
        // The epoch's remaining 90 steps at 40 steps/s, and the run's 990 steps.
        assertTrue(frame.endsWith("ETA epoch 0:02, run 0:25"), frame);
    }

    @Test
    void theLastFrameOfAnEpochShowsAHundredPercentThenMakesWayForTheEpochLine() {
        ConsoleProgress p = progress(1, 0);
        p.epochStarted(1, 100, 1000);
        for (long s = 1; s <= 95; s++) {
            p.stepFinished(s);
        }
        now.set(SECOND);
        p.progress(1, 95, 950, 0.7, 0.01);
        for (long s = 96; s <= 100; s++) {
            p.stepFinished(s);
        }
        now.set(2 * SECOND);
        p.epochFinished(epoch(1));
        String terminal = terminalBytes.toString(StandardCharsets.UTF_8);
        assertTrue(terminal.contains(" 95%"), terminal);
        assertTrue(terminal.contains("[########################] 100%"), terminal);
        assertTrue(terminal.endsWith("\r"), "the line is cleared for the epoch line");
        assertTrue(lines.toString().startsWith("epoch  1/10  train loss 0.5000"), lines.toString());
    }

    @Test
    void logEveryPrintsEveryNthEpochAndTheLast() {
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(lines, true), null, 10, 4, 100, 0, now::get);
        for (int e = 1; e <= 10; e++) {
            p.epochStarted(e, 100, 1000);
            p.epochFinished(epoch(e));
        }
        assertEquals(3, lines.toString().lines().count(), lines.toString()); // 4, 8 and 10
        assertTrue(lines.toString().lines().toList().getLast().startsWith("epoch 10/10"));
    }

    @Test
    void aResumedRunsEtaCountsOnlyWhatIsLeft() {
        ConsoleProgress p = progress(1, 850); // resumed 50 steps into epoch 9
        p.epochStarted(9, 100, 1000);
        for (long s = 851; s <= 900; s++) {
            p.stepFinished(s);
        }
        now.set(5 * SECOND); // 50 steps in 5 s
        String frame = p.frame(1000, 0.3);
        assertTrue(frame.contains("100%  100 samples/s"), frame); // 50 steps of 10 samples in 5 s
        assertTrue(frame.endsWith("ETA epoch 0:00, run 0:10"), frame); // epoch 10's 100 steps at 10 steps/s
    }
}
