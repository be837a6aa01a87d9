package dev.bp4j.cpu.gemm;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The GEMM micro-kernel must end up in C2 code in a JVM with tiered compilation and on-stack
 * replacement on, as in any application: Vector API code runs boxed, many times slower, in the
 * interpreter and in C1 code, and a C1 bail-out at tier 3 after a tier-2 compile would leave it
 * there for good. A forked JVM with this JVM's flags and {@code -XX:+PrintCompilation} runs a
 * layer's products until the kernel is compiled at tier 4, and a second longer to catch a
 * deoptimisation; the kernel's last tier-4 compile must still stand.
 */
class MicroKernelCompilationTest {

    private static final String KERNEL = MicroKernel.class.getName() + "::multiply";
    /** PrintCompilation: time, compile id, flags ('%' marks on-stack replacement), tier, method. */
    private static final Pattern LINE = Pattern.compile("^\\s*\\d+\\s+(\\d+)\\s+([%sbn! ]*?)\\s*(\\d)\\s+(\\S+)");
    private static final long GIVE_UP_SECONDS = 60;
    private static final long AFTER_TIER_4_MILLIS = 1500;

    @Test
    void theKernelReachesC2AndStaysThere() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-modules") || flag.startsWith("-XX:") || flag.startsWith("-Dbp4j.")) {
                command.add(flag);
            }
        }
        command.addAll(List.of("-XX:+PrintCompilation", "-cp", System.getProperty("java.class.path"),
                LayerProducts.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> kernelLines = new ArrayList<>();
        List<String> other = new ArrayList<>();
        Set<String> tier4 = new HashSet<>();
        Set<String> notEntrant = new HashSet<>();
        AtomicLong firstTier4 = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = child.getOutputStream()) {
            // The child runs until told on stdin: a while after the kernel's first tier-4 compile.
            Thread stopper = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        long now = System.nanoTime();
                        long seen = firstTier4.get();
                        if (now >= deadline || seen != 0 && now - seen >= TimeUnit.MILLISECONDS.toNanos(AFTER_TIER_4_MILLIS)) {
                            in.write('\n');
                            in.flush();
                            return;
                        }
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // The child has ended.
                }
            });
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (!line.contains(KERNEL + " ")) {
                    if (!LINE.matcher(line).find() && other.size() < 40) {
                        other.add(line);
                    }
                    continue;
                }
                kernelLines.add(line);
                Matcher m = LINE.matcher(line);
                if (m.find() && !m.group(2).contains("%")) {
                    if (line.contains("made not entrant")) {
                        notEntrant.add(m.group(1));
                    } else if (m.group(3).equals("4")) {
                        tier4.add(m.group(1));
                        firstTier4.compareAndSet(0, System.nanoTime());
                    }
                }
            }
            stopper.interrupt();
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        String log = String.join("\n", kernelLines);
        if (tier4.isEmpty()) {
            fail("the micro-kernel never reached C2 (tier 4) in a warm run of at most " + GIVE_UP_SECONDS + " s:\n" + log
                    + "\nthe forked JVM's other output:\n" + String.join("\n", other));
        }
        tier4.removeAll(notEntrant);
        assertTrue(!tier4.isEmpty(), "every C2 compile of the micro-kernel was made not entrant:\n" + log);
    }

    /** The forked JVM: a 784-256-256-10 layer's three products at batch 128, until a line arrives on stdin. */
    public static final class LayerProducts {

        public static void main(String[] args) throws IOException {
            try (Backend backend = Backends.open("cpu", new BackendOptions(0, null, true), message -> { })) {
                Matrix input = filled(backend, 128, 784);
                Matrix weights = filled(backend, 256, 784);
                Matrix bias = filled(backend, 1, 256);
                Matrix output = backend.allocate(128, 256);
                Matrix inputGradient = backend.allocate(128, 784);
                Matrix weightGradient = backend.allocate(256, 784);
                while (System.in.available() == 0) {
                    backend.denseForward(input, weights, bias, Activation.SIGMOID, output);
                    backend.denseBackward(output, weights, input, Activation.SIGMOID, inputGradient);
                    backend.gemm(true, false, 1f, output, input, 0f, weightGradient);
                }
            }
        }

        private static Matrix filled(Backend backend, int rows, int cols) {
            float[] values = new float[rows * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = (i % 17) / 17f;
            }
            Matrix m = backend.allocate(rows, cols);
            backend.upload(values, m);
            return m;
        }
    }
}
