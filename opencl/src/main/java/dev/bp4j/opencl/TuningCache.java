package dev.bp4j.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The gemm tiles {@code bp4j tune} chose, one entry per device model and driver, in a
 * properties file under the user's cache folder (~/.cache/bp4j, or $XDG_CACHE_HOME/bp4j, or
 * the folder the system property {@value #DIRECTORY_PROPERTY} names).
 */
final class TuningCache {

    static final String DIRECTORY_PROPERTY = "bp4j.cache.dir";
    static final String FILE_NAME = "opencl-gemm.properties";

    private TuningCache() {
    }

    static Path file() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).resolve(FILE_NAME);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("bp4j").resolve(FILE_NAME);
    }

    /** The tiles stored for this device and driver; a malformed entry throws, naming the file and key. */
    static Optional<GemmTileSet> load(OpenClDevice device) {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String value = read(file).getProperty(device.tuningKey());
        return value == null ? Optional.empty()
                : Optional.of(GemmTileSet.parse(value, file + ", key '" + device.tuningKey() + "'", device));
    }

    static void store(OpenClDevice device, GemmTileSet tiles) {
        Path file = file();
        try {
            Files.createDirectories(file.getParent());
            Properties entries = Files.isRegularFile(file) ? read(file) : new Properties();
            entries.setProperty(device.tuningKey(), tiles.text());
            Path temporary = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                entries.store(out, "bp4j opencl: gemm tiles per device | driver, large then medium (TILE_MxTILE_NxTILE_K/WORK_MxWORK_N[/staging]), written by bp4j tune");
            }
            // Readers in other processes see the old file or the new one, never half of it.
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the tuning cache " + file + ": " + e.getMessage(), e);
        }
    }

    private static Properties read(Path file) {
        Properties entries = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            entries.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the tuning cache " + file + ": " + e.getMessage(), e);
        }
        return entries;
    }
}
