package dev.bp4j.benchmarks.quick;

/**
 * Training samples per second of one backend on the bench's MLP: the epochs after the first,
 * whose JIT and kernel warm-up is left out.
 */
public record TrainingThroughput(String backend, String network, int batch, double samplesPerSecond) {
}
