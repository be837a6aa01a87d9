package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Backends;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * A measuring harness, not a test: samples/s of whole training steps (see {@link ApiTrainingLoop})
 * on each named backend in turn, the time each operation of the step takes, and the bytes the
 * JVM allocates per step in steady state, all threads together.
 *
 * <p>Run from the test class path:
 * {@code java --add-modules jdk.incubator.vector -cp ... dev.bp4j.cpu.TrainingStepProfile
 * THREADS BATCH WIDTHS OPTIMIZER SECONDS BACKEND...}, e.g. {@code 1 32 64,64,10 adam 3 reference cpu}
 * for the digits defaults or {@code 2 128 784,256,256,10 momentum 5 cpu} for the model.
 */
public final class TrainingStepProfile {

    private TrainingStepProfile() {
    }

    /** Layer widths written as {@code 784,256,256,10}. */
    static int[] parseWidths(String text) {
        String[] parts = text.split(",");
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            widths[i] = Integer.parseInt(parts[i]);
        }
        return widths;
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int[] widths = parseWidths(args[2]);
        boolean adam = args[3].equals("adam");
        double seconds = Double.parseDouble(args[4]);
        com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int b = 5; b < args.length; b++) {
            try (Backend backend = Backends.open(args[b], new BackendOptions(threads, null, true), message -> { });
                 ApiTrainingLoop loop = new ApiTrainingLoop(backend, widths, batch, 8192, Activation.SIGMOID,
                         adam ? ApiTrainingLoop.Updates.ADAM : ApiTrainingLoop.Updates.MOMENTUM, 7)) {
                int step = 0;
                long warmUntil = System.nanoTime() + (long) (seconds * 0.4e9);
                while (System.nanoTime() < warmUntil) {
                    loop.step(step++, null);
                }
                long allocatedBefore = allocation.getTotalThreadAllocatedBytes();
                int measured = 0;
                long start = System.nanoTime();
                long end = start + (long) (seconds * 0.3e9);
                while (System.nanoTime() < end) {
                    loop.step(step++, null);
                    measured++;
                }
                double stepSeconds = (System.nanoTime() - start) / 1e9 / measured;
                long allocatedPerStep = (allocation.getTotalThreadAllocatedBytes() - allocatedBefore) / measured;
                long[] nanos = new long[ApiTrainingLoop.Op.values().length];
                int profiled = 0;
                long profileEnd = System.nanoTime() + (long) (seconds * 0.3e9);
                while (System.nanoTime() < profileEnd) {
                    loop.step(step++, nanos);
                    profiled++;
                }
                System.out.printf(Locale.ROOT, "%s (%s): %.1f µs/step, %.0f samples/s, %d bytes allocated/step%n",
                        backend.name(), backend.deviceDescription(), stepSeconds * 1e6, batch / stepSeconds, allocatedPerStep);
                StringBuilder ops = new StringBuilder("  µs/step by op:");
                for (ApiTrainingLoop.Op op : ApiTrainingLoop.Op.values()) {
                    ops.append(String.format(Locale.ROOT, " %s %.1f", op.name().toLowerCase(Locale.ROOT),
                            nanos[op.ordinal()] / 1e3 / profiled));
                }
                System.out.println(ops);
            }
        }
    }
}
