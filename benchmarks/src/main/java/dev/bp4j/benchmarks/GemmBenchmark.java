package dev.bp4j.benchmarks;

import dev.bp4j.api.Matrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Square SGEMM, C = A·B with A, B and C (n × n), α = 1 and β = 0: the figure every BLAS is
 * compared by. Secondary metric {@code gemm:gflops} = 2n³ per call, in GFLOP/s.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -jar benchmarks/target/benchmarks.jar GemmBenchmark -p backend=cpu -p n=1024</pre>
 */
public class GemmBenchmark extends BackendBenchmark {

    private static final long SEED = 20_240_001L;

    @Param({"64", "128", "256", "512", "1024", "2048", "4096"})
    public int n;

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
        tested.gemm(false, false, 1f, a, b, 0f, c);
        tested.sync();
        rate.gflops += gigaflopPerCall;
        return c;
    }
}
