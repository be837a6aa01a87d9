package dev.bp4j.trainer.model;

import dev.bp4j.trainer.data.DataFormatException;

import java.nio.file.Path;
import java.util.Map;

/**
 * Typed reads of the {@code __metadata__} strings of a safetensors file. Every failure is a
 * {@link DataFormatException} naming the file and the key.
 */
public record MetadataFields(Path file, Map<String, String> values) {

    public MetadataFields {
        values = Map.copyOf(values);
    }

    public String require(String key) throws DataFormatException {
        String value = values.get(key);
        if (value == null) {
            throw error(key, "missing");
        }
        return value;
    }

    public int integer(String key) throws DataFormatException {
        long value = longInteger(key);
        if (value != (int) value) {
            throw error(key, "expected a 32-bit integer, found " + value);
        }
        return (int) value;
    }

    /** An integer that must not be negative (a count or a position). */
    public int count(String key) throws DataFormatException {
        int value = integer(key);
        if (value < 0) {
            throw error(key, "expected a non-negative integer, found " + value);
        }
        return value;
    }

    public long longInteger(String key) throws DataFormatException {
        try {
            return Long.parseLong(require(key));
        } catch (NumberFormatException e) {
            throw error(key, "expected an integer, found '" + values.get(key) + "'");
        }
    }

    public double fraction(String key) throws DataFormatException {
        try {
            double value = Double.parseDouble(require(key));
            if (value >= 0 && value < 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(key, "expected a number in [0, 1), found '" + values.get(key) + "'");
    }

    /** A finite float32, as {@link Float#toString} wrote it (which reads back bit for bit). */
    public float finiteFloat(String key) throws DataFormatException {
        try {
            float value = Float.parseFloat(require(key));
            if (Float.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(key, "expected a finite number, found '" + values.get(key) + "'");
    }

    public DataFormatException error(String key, String problem) {
        return DataFormatException.at(file, "header entry '__metadata__." + key + "'", problem);
    }
}
