package dev.bp4j.opencl;

import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Matrix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bp4j tune writes the tiles it chose for the device and later opens use them; the cache folder is a temp dir here. */
@ExtendWith(OpenClPresent.class)
class GemmTuningTest {

    private static final BackendOptions EXPLICIT = new BackendOptions(0, null, true);
    private final OpenClBackendProvider provider = new OpenClBackendProvider();
    private OpenClDevice device;

    @TempDir
    Path cacheFolder;

    @BeforeEach
    void useTheTemporaryCache() {
        System.setProperty(TuningCache.DIRECTORY_PROPERTY, cacheFolder.toString());
        device = DeviceChoice.choose(OpenClPlatforms.survey().devices(), null).orElseThrow();
    }

    @AfterEach
    void restoreTheCache() {
        System.clearProperty(TuningCache.DIRECTORY_PROPERTY);
    }

    @Test
    void tuneCachesTheWinnerPerDeviceAndLaterOpensUseIt() throws IOException {
        List<String> lines = new ArrayList<>();
        provider.tune(EXPLICIT, lines::add);
        Path file = cacheFolder.resolve(TuningCache.FILE_NAME);
        assertTrue(Files.isRegularFile(file), () -> "tune wrote " + file + ":\n" + String.join("\n", lines));
        GemmTileSet chosen = TuningCache.load(device).orElseThrow();
        assertTrue(lines.getLast().startsWith("chose " + chosen.text()), String.join("\n", lines));
        assertTrue(Files.readString(file).contains(chosen.text()));
        try (OpenClBackend backend = (OpenClBackend) provider.open(EXPLICIT)) {
            assertEquals(chosen, backend.gemmTiles());
            assertTrue(backend.deviceDescription().contains("tuned"), backend.deviceDescription());
        }

        // Another entry for the same device replaces the first, and products through it stay right.
        GemmParameters otherLarge = GemmTuner.candidates(device).stream().filter(t -> !t.equals(chosen.large())).findFirst().orElseThrow();
        GemmTileSet other = new GemmTileSet(otherLarge, GemmParameters.SMALL);
        TuningCache.store(device, other);
        try (OpenClBackend backend = (OpenClBackend) provider.open(EXPLICIT)) {
            assertEquals(other, backend.gemmTiles());
            assertProductIsRight(backend);
        }
    }

    @Test
    void aDamagedCacheEntryFallsBackToTheDefault() throws IOException {
        Files.writeString(cacheFolder.resolve(TuningCache.FILE_NAME),
                device.tuningKey().replace(" ", "\\ ").replace(":", "\\:") + "=64x64\n");
        try (OpenClBackend backend = (OpenClBackend) provider.open(EXPLICIT)) {
            assertEquals(GemmTileSet.defaultFor(device), backend.gemmTiles());
            assertTrue(backend.deviceDescription().contains("ignored the tuning cache"), backend.deviceDescription());
            assertTrue(backend.deviceDescription().contains("expected gemm tiles as MxNxK/WMxWN"), backend.deviceDescription());
        }
    }

    /** A (70 × 3)·(3 × 70) product of ones is 3 everywhere, through every edge of the tiles. */
    private static void assertProductIsRight(OpenClBackend backend) {
        Matrix a = backend.allocate(70, 3);
        Matrix b = backend.allocate(3, 70);
        Matrix c = backend.allocate(70, 70);
        backend.fill(a, 1f);
        backend.fill(b, 1f);
        backend.gemm(false, false, 1f, a, b, 0f, c);
        float[] expected = new float[70 * 70];
        java.util.Arrays.fill(expected, 3f);
        float[] actual = new float[70 * 70];
        backend.download(c, actual);
        assertArrayEquals(expected, actual);
    }
}
