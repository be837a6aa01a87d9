package dev.bp4j.cli;

import dev.bp4j.trainer.io.WriteSteps;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ctrl-C and SIGTERM during {@code bp4j train}. The first signal asks the run to stop at the
 * next step boundary ({@link #whileTraining}); the command then writes what it was asked to
 * write from where the run stopped and exits with 128 + the signal's number (130, 143), as a
 * shell reports a process ended by that signal. Before training starts there is nothing to
 * keep, so the first signal ends the process at once. A second signal deletes the temporary
 * files of the writes in progress and halts at once, leaving no partial file: every write of
 * the command goes through {@link #writes}, which creates each temporary file under the same
 * lock the halt holds, so none can appear between the deletion and the halt.
 *
 * <p>These are {@code sun.misc.Signal} handlers, not shutdown hooks: a shutdown hook cannot
 * tell a first Ctrl-C from a second, and once the JVM has begun to shut down a second one is
 * ignored. They are installed once per JVM and stay: between commands (tests run several in one
 * JVM) a signal goes to the handler that was there before, or, where that cannot be called, ends
 * the JVM as its own handler does (shutdown hooks, then exit 128 + n). Installing and restoring
 * around each command instead made the JDK hand back an unusable previous handler after some
 * sequences of commands. Where the JVM cannot take a signal (started with it ignored, or with
 * {@code -Xrs}) that signal keeps its default behaviour.
 */
final class Interruption implements AutoCloseable {

    private static final List<String> SIGNALS = List.of("INT", "TERM");

    /** The handlers the JVM had before the first command took the signals over; guarded by the class. */
    private static final Map<String, SignalHandler> ORIGINAL = new HashMap<>();
    private static boolean installed;
    /** The command's interruption while one runs, else null. */
    private static volatile Interruption active;

    /** Guards {@link #temporaries} and the halt. */
    private final Object lock = new Object();
    private final Set<Path> temporaries = new HashSet<>();
    private volatile Runnable stop;
    private volatile Signal received;

    private Interruption() {
    }

    /** Takes over SIGINT and SIGTERM until closed. */
    static synchronized Interruption install() {
        if (!installed) {
            for (String name : SIGNALS) {
                try {
                    ORIGINAL.put(name, Signal.handle(new Signal(name), Interruption::dispatch));
                } catch (IllegalArgumentException | NullPointerException e) {
                    // Not available on this platform, taken by the JVM (-Xrs), or held by a native
                    // handler the JDK cannot hand back as a Java one: the default stays.
                }
            }
            installed = true;
        }
        Interruption interruption = new Interruption();
        active = interruption;
        return interruption;
    }

    private static void dispatch(Signal signal) {
        Interruption current = active;
        if (current != null) {
            current.handle(signal);
            return;
        }
        SignalHandler original = ORIGINAL.get(signal.getName());
        if (original == SignalHandler.SIG_IGN) {
            return;
        }
        if (original != null && original != SignalHandler.SIG_DFL) {
            try {
                original.handle(signal);
                return;
            } catch (RuntimeException e) {
                // Unusable: end the JVM as its own handler would, below.
            }
        }
        System.exit(128 + signal.getNumber());
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

    /** {@code inner}'s steps, with every temporary file known from its creation until it is renamed or deleted. */
    WriteSteps writes(WriteSteps inner) {
        return new WriteSteps() {
            @Override
            public FileChannel create(Path temporary) throws IOException {
                synchronized (lock) {
                    FileChannel channel = inner.create(temporary);
                    temporaries.add(temporary);
                    return channel;
                }
            }

            @Override
            public OutputStream content(Path temporary, OutputStream out) {
                return inner.content(temporary, out);
            }

            @Override
            public void force(Path path, FileChannel channel) throws IOException {
                inner.force(path, channel);
            }

            @Override
            public void beforeRename(Path temporary, Path target) {
                inner.beforeRename(temporary, target);
            }

            @Override
            public void finished(Path temporary) {
                synchronized (lock) {
                    temporaries.remove(temporary);
                }
                inner.finished(temporary);
            }
        };
    }

    private void handle(Signal signal) {
        if (received != null) {
            synchronized (lock) {
                for (Path temporary : temporaries) {
                    try {
                        Files.deleteIfExists(temporary);
                    } catch (IOException e) {
                        // Halting anyway; the next write of the same target removes it.
                    }
                }
                Runtime.getRuntime().halt(128 + signal.getNumber());
            }
        }
        received = signal;
        Runnable action = stop;
        if (action == null) {
            System.err.println("bp4j: interrupted by SIG" + signal.getName() + " before training started; nothing to keep");
            System.err.flush();
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        action.run();
    }

    @Override
    public void close() {
        synchronized (Interruption.class) {
            if (active == this) {
                active = null;
            }
        }
    }
}
