package dev.bp4j.opencl;

import dev.bp4j.api.contract.RandomValues;
import dev.bp4j.api.Activation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every tile shape the tuner may choose computes the same products: the contract suite runs the
 * default shape only, so each other one is checked here on an awkward product that cuts through
 * every tile edge, in all four transpose cases and with both dense-layer epilogues. On a GPU the
 * tuner's list is long (about a hundred shapes, four programs each), so there only the shapes in
 * use are checked here: the defaults, the large one double-buffered and the device's tuned ones; the
 * tuner itself checks every candidate against float64 before it may be chosen.
 */
@ExtendWith(OpenClPresent.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GemmTilesTest {

    private static final int M = 67;
    private static final int N = 45;
    private static final int K = 29;

    private DeviceContext context;
    private ProgramCache programs;
    private GemmKernels kernels;

    @BeforeAll
    void openDevice() {
        OpenClDevice device = DeviceChoice.choose(OpenClPlatforms.survey().devices(), null).orElseThrow();
        context = new DeviceContext(device);
        programs = new ProgramCache(context);
        kernels = new GemmKernels(context, programs, GemmTileSet.defaultFor(device));
    }

    @AfterAll
    void closeDevice() {
        programs.close();
        context.close();
    }

    List<GemmParameters> tileShapes() {
        OpenClDevice device = context.device();
        Set<GemmParameters> shapes = new LinkedHashSet<>();
        if (device.gpu()) {
            GemmTileSet defaults = GemmTileSet.defaultFor(device);
            shapes.add(defaults.large());
            shapes.add(defaults.large().with(GemmParameters.Staging.DOUBLE_BUFFER));
            shapes.add(defaults.medium());
            TuningCache.load(device).ifPresent(tuned -> {
                shapes.add(tuned.large());
                shapes.add(tuned.medium());
            });
        } else {
            shapes.addAll(GemmTuner.candidates(device));
        }
        shapes.add(GemmParameters.SMALL);
        shapes.add(GemmTileSet.defaultFor(device).large());
        // 8 × 8 register blocks, as in the GPU default, in a shape cheap enough for PoCL to compile
        // (about half a minute on two cores; the GPU default itself takes longer).
        shapes.add(new GemmParameters(32, 32, 4, 8, 8));
        shapes.add(new GemmParameters(32, 32, 4, 8, 8, GemmParameters.Staging.PREFETCH));
        shapes.add(new GemmParameters(32, 32, 4, 8, 8, GemmParameters.Staging.DOUBLE_BUFFER));
        return List.copyOf(shapes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tileShapes")
    void everyTransposeAndEpilogueMatchesFloat64(GemmParameters tiles) {
        SplittableRandom random = new SplittableRandom(tiles.hashCode());
        for (int t = 0; t < 4; t++) {
            check(random, tiles, (t & 1) != 0, (t & 2) != 0, GemmKernels.Epilogue.PLAIN, Activation.IDENTITY);
        }
        check(random, tiles, false, true, GemmKernels.Epilogue.BIAS_ACTIVATE, Activation.TANH);
        check(random, tiles, false, false, GemmKernels.Epilogue.ACTIVATION_BACKWARD, Activation.SIGMOID);
    }

    private void check(SplittableRandom random, GemmParameters tiles, boolean transposeA, boolean transposeB,
                       GemmKernels.Epilogue epilogue, Activation f) {
        float[] a = RandomValues.uniform(random, M * K);
        float[] b = RandomValues.uniform(random, K * N);
        float[] c = RandomValues.uniform(random, M * N);
        float[] bias = RandomValues.uniform(random, N);
        float[] aux = new float[M * N];
        for (int i = 0; i < aux.length; i++) {
            aux[i] = (float) f.apply(random.nextDouble(-2, 2));
        }
        float alpha = epilogue == GemmKernels.Epilogue.PLAIN ? 0.5f : 1f;
        float beta = epilogue == GemmKernels.Epilogue.PLAIN ? -1.5f : 0f;
        DeviceBuffer da = upload(a);
        DeviceBuffer db = upload(b);
        DeviceBuffer dc = upload(c);
        DeviceBuffer dBias = upload(bias);
        DeviceBuffer dAux = upload(aux);
        try {
            kernels.run(tiles, transposeA, transposeB, M, N, K, alpha, da, db, beta, dc, epilogue, f, dBias, dAux);
            float[] actual = new float[M * N];
            context.read(dc, actual);
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    double sum = 0;
                    double magnitude = 0;
                    for (int p = 0; p < K; p++) {
                        double term = (double) (transposeA ? a[p * M + i] : a[i * K + p]) * (transposeB ? b[j * K + p] : b[p * N + j]);
                        sum += term;
                        magnitude += Math.abs(term);
                    }
                    double expected = switch (epilogue) {
                        case PLAIN -> alpha * sum + beta * c[i * N + j];
                        case BIAS_ACTIVATE -> f.apply(sum + bias[j]);
                        case ACTIVATION_BACKWARD -> sum * f.derivative(aux[i * N + j]);
                    };
                    double allowed = (K + 6) * Math.ulp(1.0f) * (magnitude + Math.abs(c[i * N + j]) + Math.abs(bias[j])) + 1e-6;
                    if (!(Math.abs(actual[i * N + j] - expected) <= allowed)) {
                        fail("tiles " + tiles.text() + " transposeA=" + transposeA + " transposeB=" + transposeB + " " + epilogue
                                + " " + f + ": C[" + i + ", " + j + "] = " + actual[i * N + j] + ", expected " + expected + " ± " + allowed);
                    }
                }
            }
        } finally {
            for (DeviceBuffer buffer : List.of(da, db, dc, dBias, dAux)) {
                context.release(buffer);
            }
        }
    }

    private DeviceBuffer upload(float[] values) {
        DeviceBuffer buffer = context.allocate((long) Float.BYTES * values.length);
        context.write(values, buffer);
        return buffer;
    }

}
