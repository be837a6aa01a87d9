package dev.bp4j.cli;

import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Backends;
import dev.bp4j.benchmarks.quick.BenchReport;
import dev.bp4j.benchmarks.quick.BenchSettings;
import dev.bp4j.benchmarks.quick.QuickBench;
import dev.bp4j.trainer.io.AtomicFile;
import dev.bp4j.cli.plot.BenchmarkChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bp4j bench}: the quick benchmark subset ({@link QuickBench}) on every usable backend,
 * written as a markdown table and a PNG chart. The JMH suite in {@code benchmarks/} and
 * {@code benchmarks/run-comparison.sh} give the careful figures and the peer ratios.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Quick benchmark: SGEMM GFLOP/s per backend and size, and MLP training samples/s, "
                + "each validated against the reference backend first.",
        footer = "%nTraining: 784-256-256-10, sigmoid, softmax-ce, momentum 0.9, lr 0.1, batch 128, on seeded synthetic "
                + "data of Fashion-MNIST's shape; 3 epochs of 8192 samples, the first one a warm-up. The reference "
                + "backend is timed only up to n = " + BenchSettings.REFERENCE_LARGEST_N + ".")
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--backends", paramLabel = "NAMES", split = ",",
            description = "backends to measure (default: every usable one except reference)")
    private List<String> backends = List.of();

    @Option(names = "--sizes", paramLabel = "N", split = ",",
            description = "n of the square products (default: 128,256,512,1024)")
    private int[] sizes = BenchSettings.DEFAULT_SIZES.clone();

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "worker threads for CPU backends; 0 = all cores (default: ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1",
            description = "measuring time per figure, after warm-up (default: ${DEFAULT-VALUE})")
    private double seconds;

    @Option(names = "--markdown", paramLabel = "FILE.md", defaultValue = "bench.md",
            description = "where the table goes (default: ${DEFAULT-VALUE})")
    private Path markdown;

    @Option(names = "--chart", paramLabel = "FILE.png", defaultValue = "bench.png",
            description = "where the chart goes (default: ${DEFAULT-VALUE})")
    private Path chart;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchSettings settings = settings();
        BenchReport report = QuickBench.run(settings, message -> {
            err.println(message);
            err.flush();
        });
        String table = report.markdown();
        AtomicFile.write(markdown, stream -> stream.write(table.getBytes(StandardCharsets.UTF_8)));
        BenchmarkChart.of(report).writePng(chart);
        out.print(table);
        out.println();
        out.println("wrote " + markdown + " and " + chart);
        out.flush();
        return 0;
    }

    private BenchSettings settings() {
        List<String> known = Backends.names();
        for (String name : backends) {
            if (!known.contains(name)) {
                throw usage("--backends: unknown backend '" + name + "' (expected some of " + String.join(", ", known) + ")");
            }
        }
        if (sizes.length == 0 || Arrays.stream(sizes).anyMatch(n -> n < 1)) {
            throw usage("--sizes: expected positive matrix sizes such as 128,256,512, got " + Arrays.toString(sizes));
        }
        BackendOptions.threadsProblem(threads).ifPresent(problem -> {
            throw usage("--threads: " + problem);
        });
        if (!(seconds > 0) || !Double.isFinite(seconds)) {
            throw usage("--seconds: expected a positive number, got " + seconds);
        }
        return new BenchSettings(backends, sizes, threads, seconds);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
