package dev.bp4j.benchmarks;

import dev.bp4j.api.Matrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Square SGEMM, C = A·B with A, B and C (n × n), α = 1 and β = 0: the figure every BLAS is
 * compared by. Secondary metric {@code gemm:gflops} = 2n³ per product, in GFLOP/s.
 *
 * <p>{@code productsPerSync} products are queued before each wait for the device (1 by default,
 * the way a caller who needs each result sees it). On a GPU a small product takes little more
 * than the round trip of the wait itself, so more per wait measure the kernel, as a peer timed
 * back to back with device events does (benchmarks/peers/cuda_kernels.py reports both).
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -jar benchmarks/target/benchmarks.jar GemmBenchmark -p backend=cpu -p n=1024</pre>
 */
public class GemmBenchmark extends BackendBenchmark {

    private static final long SEED = 20_240_001L;

    @Param({"64", "128", "256", "512", "1024", "2048", "4096"})
    public int n;

    @Param({"1"})
    public int productsPerSync;

    private Matrix a;
    private Matrix b;
    private Matrix c;
    private double gigaflopPerCall;

    @Setup
    public void prepare() {
        openTested();
        SeededInputs inputs = new SeededInputs(SEED);
        HostMatrix hostA = HostMatrix.uniform(inputs, n, n, -1f, 1f);
        HostMatrix hostB = HostMatrix.uniform(inputs, n, n, -1f, 1f);
        a = hostA.uploadTo(tested);
        b = hostB.uploadTo(tested);
        c = tested.allocate(n, n);
        gigaflopPerCall = FlopRate.gemmGigaflop(n, n, n);

        tested.gemm(false, false, 1f, a, b, 0f, c);
        GemmParity.verify(new ParityCheck(trialName() + " n=" + n), "gemm", false, false,
                hostA, hostB, HostMatrix.download(tested, c));
    }

    @Benchmark
    public Matrix gemm(FlopRate rate) {
        for (int p = 0; p < productsPerSync; p++) {
            tested.gemm(false, false, 1f, a, b, 0f, c);
        }
        tested.sync();
        rate.gflops += gigaflopPerCall * productsPerSync;
        return c;
    }
}
