package dev.bp4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bp4j.trainer.checkpoint.CheckpointFolder;
import dev.bp4j.trainer.io.AtomicFile;
import dev.bp4j.trainer.model.ModelFile;
import dev.bp4j.trainer.model.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code bp4j train} as a real process, stopped by SIGINT (Ctrl-C) and SIGTERM: it stops at a
 * step boundary, writes --save, --report, --plot and a last checkpoint from where it stopped,
 * says in one line what it kept, and exits 130 / 143; a second signal exits at once without
 * leaving a temporary file.
 */
class InterruptionTest {

    @TempDir
    Path folder;

    private Path model;
    private Path report;
    private Path plot;
    private Path checkpoints;

    @Test
    void ctrlCKeepsTheModelReportPlotAndALastCheckpointAndExits130() throws Exception {
        assumeFalse(ignoredHere(2), "SIGINT is ignored by this process (started in the background without job control), so its "
                + "children cannot take it either");
        stopsAndKeepsEverything("INT", 130);
    }

    @Test
    void sigtermKeepsTheModelReportPlotAndALastCheckpointAndExits143() throws Exception {
        assumeFalse(ignoredHere(15), "SIGTERM is ignored by this process");
        stopsAndKeepsEverything("TERM", 143);
    }

    @Test
    void aSecondCtrlCExitsAtOnceLeavingNoTemporaryFile() throws Exception {
        assumeFalse(ignoredHere(2), "SIGINT is ignored by this process");
        Process child = startTraining();
        signal(child, "INT");
        signal(child, "INT");
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "exited after the second signal");
        assertEquals(130, child.exitValue(), log());
        assertEquals(List.of(), temporaries(), log());
        // Whatever was written before the halt is whole.
        if (Files.exists(model)) {
            ModelFile.load(model);
        }
        for (Path checkpoint : new CheckpointFolder(checkpoints).checkpoints()) {
            SafetensorsFile.read(checkpoint);
        }
    }

    private void stopsAndKeepsEverything(String signal, int status) throws Exception {
        Process child = startTraining();
        long sent = System.nanoTime();
        signal(child, signal);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "exited after SIG" + signal);
        double seconds = (System.nanoTime() - sent) / 1e9;
        assertEquals(status, child.exitValue(), log());

        String err = Files.readString(folder.resolve("err.log"));
        Matcher line = Pattern.compile("bp4j train: interrupted by SIG" + signal + " after step (\\d+); kept the model in (.+), the report "
                + "in (.+), the curves in (.+), a last checkpoint in (.+); add --resume to the same command to continue").matcher(err);
        assertTrue(line.find(), err);
        long step = Long.parseLong(line.group(1));
        assertEquals(model.toString(), line.group(2));

        assertEquals(Long.toString(step), SafetensorsFile.read(model).metadata().get(ModelFile.INTERRUPTED_AFTER_STEP));
        ModelFile.load(model);
        JsonObject json = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        assertTrue(json.get("interrupted").getAsBoolean());
        assertEquals(step, json.get("steps").getAsLong());
        assertTrue(Files.size(plot) > 0);
        Path last = new CheckpointFolder(checkpoints).checkpoints().getFirst();
        assertEquals(checkpoints.resolve(String.format("checkpoint-%012d.safetensors", step)), last);
        assertEquals(line.group(5), last.toString());
        assertEquals(List.of(), temporaries());
        // Stopping took a step and the writes, not the rest of the 2,000-epoch run (generous for a loaded 2-core machine).
        assertTrue(seconds < 20, "exited " + seconds + " s after the signal");
    }

    /** Digits for 2,000 epochs: far longer than the test waits. Returns once the first epoch is done. */
    private Process startTraining() throws Exception {
        model = folder.resolve("m.safetensors");
        report = folder.resolve("r.json");
        plot = folder.resolve("p.png");
        checkpoints = folder.resolve("checkpoints");
        List<String> command = CommandRun.childJvm(List.of(), Main.class, List.of("train", "--data", "digits",
                "--backend", "reference", "--layers", "64,16,10", "--batch", "32", "--epochs", "2000", "--save", model.toString(),
                "--report", report.toString(), "--plot", plot.toString(), "--checkpoint-dir", checkpoints.toString()));
        Process child = new ProcessBuilder(command).redirectOutput(folder.resolve("out.log").toFile())
                .redirectError(folder.resolve("err.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.readString(folder.resolve("out.log")).contains("epoch    2/2000")) {
            assertTrue(child.isAlive(), "the child died: " + log());
            assertTrue(System.nanoTime() < deadline, "no second epoch within 2 minutes: " + log());
            Thread.sleep(50);
        }
        return child;
    }

    private static void signal(Process child, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(child.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name);
    }

    /** Whether this JVM was started with the signal ignored, which its children inherit (and the JVM then cannot catch). */
    private static boolean ignoredHere(int signal) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(status)) {
            String mask = lines.filter(l -> l.startsWith("SigIgn:")).findFirst().orElse("SigIgn: 0").substring(7).strip();
            return new BigInteger(mask, 16).testBit(signal - 1);
        }
    }

    private List<Path> temporaries() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(folder, checkpoints)) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> listing = Files.list(dir)) {
                    listing.filter(p -> p.getFileName().toString().endsWith(AtomicFile.TEMPORARY_SUFFIX)).forEach(found::add);
                }
            }
        }
        return found;
    }

    private String log() throws IOException {
        return Files.readString(folder.resolve("out.log")) + Files.readString(folder.resolve("err.log"));
    }
}
