package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A measuring harness, not a test: the time of every backend call of an {@link ApiTrainingLoop}
 * step, call by call with its shapes, so an operation inside a step can be set against the same
 * operation alone (what {@link CpuThroughput} and the JMH suite measure). Also the step's mean,
 * 10th percentile and median: on a shared machine the percentiles compare builds better than
 * the mean.
 *
 * <p>Run from the test class path: {@code java --add-modules jdk.incubator.vector
 * -cp ... dev.bp4j.cpu.TrainingStepCalls THREADS [BATCH WIDTHS SECONDS]},
 * by default {@code 128 784,256,256,10 3} (the model, momentum). A dynamic proxy times
 * each call, which adds well under a microsecond to it.
 */
public final class TrainingStepCalls {

    private TrainingStepCalls() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int[] widths = Arrays.stream((args.length > 2 ? args[2] : "784,256,256,10").split(",")).mapToInt(Integer::parseInt).toArray();
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 3;
        try (Backend real = Backends.open("cpu", new BackendOptions(threads, null, true), message -> { })) {
            CallTimes times = new CallTimes();
            Backend timed = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                    (proxy, method, arguments) -> {
                        long start = System.nanoTime();
                        try {
                            return method.invoke(real, arguments);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        } finally {
                            times.record(method.getName(), arguments, System.nanoTime() - start);
                        }
                    });
            try (ApiTrainingLoop loop = new ApiTrainingLoop(timed, widths, batch, 8192, Activation.SIGMOID, ApiTrainingLoop.Updates.MOMENTUM, 7)) {
                int step = 0;
                for (long end = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < end; ) {
                    loop.step(step++, null);
                }
                times.start();
                long[] stepNanos = new long[CallTimes.MAX_STEPS];
                int measured = 0;
                for (long end = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < end && measured < stepNanos.length; ) {
                    times.nextStep();
                    long start = System.nanoTime();
                    loop.step(step++, null);
                    stepNanos[measured++] = System.nanoTime() - start;
                }
                times.print(measured);
                long[] sorted = Arrays.copyOf(stepNanos, measured);
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "step: mean %.1f µs, p10 %.1f, median %.1f (%d steps, %s)%n",
                        Arrays.stream(sorted).average().orElse(0) / 1e3, sorted[measured / 10] / 1e3, sorted[measured / 2] / 1e3,
                        measured, real.deviceDescription());
            }
        }
    }

    /**
     * The calls of one step in order, each with its time in every measured step. Printed as mean
     * and median: on a shared machine one preemption in a hundred steps adds as much to a small
     * call's mean as the call itself takes, so the median is what compares with an isolated run.
     */
    private static final class CallTimes {
        static final int MAX_STEPS = 1 << 16;
        private final List<String> names = new ArrayList<>();
        private final List<long[]> nanos = new ArrayList<>();
        private boolean recording;
        private int call;
        private int step = -1;

        void start() {
            recording = true;
        }

        void nextStep() {
            call = 0;
            step++;
        }

        void record(String method, Object[] arguments, long elapsed) {
            if (!recording) {
                return;
            }
            if (call == names.size()) {
                StringBuilder name = new StringBuilder(method);
                for (Object argument : arguments == null ? new Object[0] : arguments) {
                    if (argument instanceof Matrix m) {
                        name.append(' ').append(m.rows()).append('×').append(m.cols());
                    } else if (argument instanceof Boolean transposed) {
                        name.append(transposed ? " T" : " N");
                    }
                }
                names.add(name.toString());
                nanos.add(new long[MAX_STEPS]);
            }
            nanos.get(call++)[step] = elapsed;
        }

        void print(int steps) {
            System.out.printf(Locale.ROOT, "%2s %-56s %8s %8s%n", "", "call and shapes", "mean µs", "median");
            for (int i = 0; i < names.size(); i++) {
                long[] sorted = Arrays.copyOf(nanos.get(i), steps);
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "%2d %-56s %8.1f %8.1f%n", i, names.get(i),
                        Arrays.stream(sorted).average().orElse(0) / 1e3, sorted[steps / 2] / 1e3);
            }
        }
    }
}
