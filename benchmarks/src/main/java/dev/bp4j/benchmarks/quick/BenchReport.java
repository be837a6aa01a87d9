package dev.bp4j.benchmarks.quick;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What one {@code bp4j bench} run measured, and its markdown form.
 *
 * @param machine  processor, cores and Java runtime, for the report's first line
 * @param devices  one line per backend: its name and {@code deviceDescription()}
 */
public record BenchReport(String machine, List<String> devices, List<GemmResult> gemm, List<TrainingThroughput> training) {

    public BenchReport {
        devices = List.copyOf(devices);
        gemm = List.copyOf(gemm);
        training = List.copyOf(training);
    }

    /** Backend names in the order they were measured. */
    public List<String> backends() {
        List<String> names = new ArrayList<>();
        gemm.forEach(r -> addOnce(names, r.backend()));
        training.forEach(r -> addOnce(names, r.backend()));
        return names;
    }

    private static void addOnce(List<String> names, String name) {
        if (!names.contains(name)) {
            names.add(name);
        }
    }

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# bp4j bench\n\n").append("Machine: ").append(machine).append("\n\n");
        for (String device : devices) {
            out.append("- ").append(device).append('\n');
        }
        List<String> backends = backends();
        out.append("\n## SGEMM C = A·B, (n × n), GFLOP/s\n\n| n |");
        backends.forEach(b -> out.append(' ').append(b).append(" |"));
        out.append("\n|---|");
        backends.forEach(b -> out.append("---|"));
        out.append('\n');
        for (int n : new TreeSet<>(gemm.stream().map(GemmResult::n).toList())) {
            out.append("| ").append(n).append(" |");
            for (String backend : backends) {
                String cell = gemm.stream().filter(r -> r.n() == n && r.backend().equals(backend)).findFirst()
                        .map(r -> String.format(Locale.ROOT, "%.1f", r.gflops())).orElse("–");
                out.append(' ').append(cell).append(" |");
            }
            out.append('\n');
        }
        if (!training.isEmpty()) {
            TrainingThroughput first = training.getFirst();
            out.append("\n## Training ").append(first.network()).append(", batch ").append(first.batch())
                    .append(", samples/s\n\n| backend | samples/s |\n|---|---|\n");
            for (TrainingThroughput t : training) {
                out.append(String.format(Locale.ROOT, "| %s | %.0f |%n", t.backend(), t.samplesPerSecond()));
            }
        }
        return out.toString();
    }
}
