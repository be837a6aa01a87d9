package dev.bp4j.benchmarks.quick;

/** One square SGEMM figure: C = A·B, all (n × n), timed until the backend finished. */
public record GemmResult(String backend, int n, double gflops) {
}
