package dev.bp4j.opencl;

import dev.bp4j.api.Activation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tuner checks every candidate against float64 before timing it: a candidate whose product
 * is wrong in one 16 × 16 tile (as a broken tile shape would be) is reported as skipped and is
 * never chosen, however fast.
 */
@ExtendWith(OpenClPresent.class)
class GemmTunerTest {

    @TempDir
    Path cacheFolder;

    @AfterEach
    void restoreTheCache() {
        System.clearProperty(TuningCache.DIRECTORY_PROPERTY);
    }

    @Test
    void aCandidateThatComputesAWrongTileIsSkippedAndNeverChosen() {
        System.setProperty(TuningCache.DIRECTORY_PROPERTY, cacheFolder.toString());
        OpenClDevice device = DeviceChoice.choose(OpenClPlatforms.survey().devices(), null).orElseThrow();
        List<String> report = new ArrayList<>();
        try (DeviceContext context = new DeviceContext(device); ProgramCache programs = new ProgramCache(context)) {
            GemmKernels kernels = new GemmKernels(context, programs, GemmTileSet.defaultFor(device));
            List<GemmParameters> candidates = GemmTuner.candidates(device);
            // The default large tile, which would otherwise be a likely winner; or the first.
            GemmParameters wrong = candidates.contains(GemmTileSet.defaultFor(device).large())
                    ? GemmTileSet.defaultFor(device).large() : candidates.getFirst();
            new GemmTuner(context, (tiles, transposeA, transposeB, n, a, b, c) -> {
                kernels.run(tiles, transposeA, transposeB, n, n, n, 1f, a, b, 0f, c, GemmKernels.Epilogue.PLAIN, Activation.IDENTITY, c, c);
                if (tiles.equals(wrong)) {
                    float[] values = new float[n * n];
                    context.read(c, values);
                    for (int i = 32; i < 48; i++) {
                        for (int j = 16; j < 32; j++) {
                            values[i * n + j] += 1f;
                        }
                    }
                    context.write(values, c);
                }
            }).tune(report::add);
            String all = String.join("\n", report);
            assertTrue(report.stream().anyMatch(line -> line.startsWith("  " + wrong.text() + " skipped: tiles " + wrong.text())
                    && line.contains("computed C[")), all);
            assertTrue(report.getLast().startsWith("chose "), all);
            assertNotEquals(wrong, TuningCache.load(device).orElseThrow().large(), all);
        }
    }
}
