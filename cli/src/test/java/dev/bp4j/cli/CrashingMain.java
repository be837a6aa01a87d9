package dev.bp4j.cli;

import dev.bp4j.trainer.io.WriteSteps;
import dev.bp4j.trainer.train.TrainingListener;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * {@code bp4j} in a child JVM that halts the way {@code kill -9} would ({@link Runtime#halt}: no
 * shutdown hooks, no {@code finally} blocks, no buffers flushed) at a chosen point, through the
 * hooks {@link Main#commandLine(TrainHooks)} takes. The first argument names the point, the rest
 * are the command line:
 * <ul>
 *   <li>{@code between-steps:N}: once step N − 1 has been enqueued, before step N;</li>
 *   <li>{@code checkpoint-mid-write:N}: inside the Nth checkpoint's temporary file, after its header;</li>
 *   <li>{@code before-rename:N}: the Nth checkpoint written and forced, not yet renamed.</li>
 * </ul>
 */
public final class CrashingMain {

    /** What a shell reports for a process killed by signal 9. */
    static final int EXIT_STATUS = 137;

    private CrashingMain() {
    }

    public static void main(String[] args) {
        String point = args[0].substring(0, args[0].indexOf(':'));
        int n = Integer.parseInt(args[0].substring(args[0].indexOf(':') + 1));
        TrainHooks hooks = switch (point) {
            case "between-steps" -> new TrainHooks(new TrainingListener() {
                @Override
                public void stepFinished(long step) {
                    if (step == n - 1) {
                        halt();
                    }
                }
            }, WriteSteps.DIRECT);
            case "checkpoint-mid-write" -> new TrainHooks(TrainHooks.NONE.listener(), new CountedWrites(n) {
                @Override
                public OutputStream content(Path temporary, OutputStream out) {
                    boolean armed = isNth();
                    return new FilterOutputStream(out) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            out.write(b, off, len);
                        }

                        @Override
                        public void flush() throws IOException {
                            super.flush();
                            if (armed) {
                                halt(); // the header is flushed before the tensors
                            }
                        }
                    };
                }
            });
            case "before-rename" -> new TrainHooks(TrainHooks.NONE.listener(), new CountedWrites(n) {
                @Override
                public void beforeRename(Path temporary, Path target) {
                    if (isNth()) {
                        halt();
                    }
                }
            });
            default -> throw new IllegalArgumentException("unknown crash point " + args[0]);
        };
        String[] command = new String[args.length - 1];
        System.arraycopy(args, 1, command, 0, command.length);
        System.exit(Main.commandLine(hooks).execute(command));
    }

    private static void halt() {
        Runtime.getRuntime().halt(EXIT_STATUS);
    }

    /** Counts the writes it sees; {@link #isNth} is true during the Nth. */
    private abstract static class CountedWrites implements WriteSteps {
        private final int n;
        private int seen;

        CountedWrites(int n) {
            this.n = n;
        }

        /** Call once per write (the first hook each write reaches). */
        boolean isNth() {
            return ++seen == n;
        }
    }
}
