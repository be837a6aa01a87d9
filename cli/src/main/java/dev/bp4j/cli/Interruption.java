package dev.bp4j.cli;

import dev.bp4j.trainer.io.AtomicFile;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Ctrl-C and SIGTERM during {@code bp4j train}. The first signal asks the run to stop at the
 * next step boundary ({@link #whileTraining}); the command then writes what it was asked to
 * write from where the run stopped and exits with 128 + the signal's number (130, 143), as a
 * shell reports a process ended by that signal. Before training starts there is nothing to
 * keep, so the first signal ends the process at once. A second signal deletes the temporary
 * files of the outputs being written and halts at once, leaving no partial file.
 *
 * <p>These are {@code sun.misc.Signal} handlers, not shutdown hooks: a shutdown hook cannot
 * tell a first Ctrl-C from a second, and once the JVM has begun to shut down a second one is
 * ignored. Where the JVM cannot take a signal (started with it ignored, or with {@code -Xrs})
 * that signal keeps its default behaviour.
 */
final class Interruption implements AutoCloseable {

    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final List<Path> outputs;
    private final Path checkpointFolder;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile Runnable stop;
    private volatile Signal received;

    private Interruption(List<Path> outputs, Path checkpointFolder) {
        this.outputs = List.copyOf(outputs);
        this.checkpointFolder = checkpointFolder;
    }

    /**
     * Takes over SIGINT and SIGTERM until closed.
     *
     * @param outputs          the files the command writes (their temporary files go on a second signal)
     * @param checkpointFolder the checkpoint folder, or null
     */
    static Interruption install(List<Path> outputs, Path checkpointFolder) {
        Interruption interruption = new Interruption(outputs, checkpointFolder);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                interruption.previous.put(signal, Signal.handle(signal, interruption::handle));
            } catch (IllegalArgumentException e) {
                // Not available on this platform or taken by the JVM (-Xrs): the default stays.
            }
        }
        return interruption;
    }

    /** Between this call and {@link #trainingEnded}, a first signal calls {@code stopAtNextStep} instead of exiting. */
    void whileTraining(Runnable stopAtNextStep) {
        stop = stopAtNextStep;
        if (received != null) {
            stopAtNextStep.run();
        }
    }

    /** Training has returned; a first signal now lets the outputs be written, then the command exits with its status. */
    void trainingEnded() {
        stop = () -> {
        };
    }

    /** The signal received so far, or null. */
    Signal received() {
        return received;
    }

    /** The exit status of a process ended by the signal received: 128 + its number. */
    int exitStatus() {
        return 128 + received.getNumber();
    }

    private synchronized void handle(Signal signal) {
        if (received != null) {
            deleteTemporaries();
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        received = signal;
        Runnable action = stop;
        if (action == null) {
            Runtime.getRuntime().halt(128 + signal.getNumber()); // nothing trained yet, nothing to keep
        }
        action.run();
    }

    /** The temporary files of every output and checkpoint (see {@link AtomicFile}); best effort, the process is about to halt. */
    private void deleteTemporaries() {
        List<Path> doomed = new ArrayList<>();
        for (Path output : outputs) {
            Path absolute = output.toAbsolutePath();
            String prefix = "." + absolute.getFileName() + ".";
            collect(absolute.getParent(), prefix, doomed);
        }
        if (checkpointFolder != null) {
            collect(checkpointFolder.toAbsolutePath(), ".checkpoint-", doomed);
        }
        for (Path file : doomed) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Halting anyway; the next write of the same target removes it.
            }
        }
    }

    private static void collect(Path folder, String prefix, List<Path> into) {
        if (folder == null || !Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> listing = Files.list(folder)) {
            listing.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(AtomicFile.TEMPORARY_SUFFIX);
            }).forEach(into::add);
        } catch (IOException e) {
            // As above.
        }
    }

    @Override
    public void close() {
        previous.forEach((signal, handler) -> {
            try {
                Signal.handle(signal, handler);
            } catch (IllegalArgumentException e) {
                // As at install.
            }
        });
    }
}
