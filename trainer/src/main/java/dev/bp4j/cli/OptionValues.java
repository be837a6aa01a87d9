package dev.bp4j.cli;

import dev.bp4j.api.Activation;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.train.OptimizerKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.List;

/** Converters for option values that picocli does not know, each rejecting bad input with what it expected. */
final class OptionValues {

    private OptionValues() {
    }

    /** {@code 64,32,10}: every layer width, input first. */
    static final class LayerWidths implements ITypeConverter<int[]> {
        @Override
        public int[] convert(String value) {
            String[] parts = value.split(",", -1);
            int[] widths = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    widths[i] = Integer.parseInt(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new TypeConversionException("'" + value + "': width " + (i + 1) + " '" + parts[i]
                            + "' is not a whole number (expected widths like 64,32,10)");
                }
                if (widths[i] < 1) {
                    throw new TypeConversionException("'" + value + "': width " + (i + 1) + " must be at least 1");
                }
            }
            if (widths.length < 2) {
                throw new TypeConversionException("'" + value + "': expected at least an input and an output width, like 64,10");
            }
            return widths;
        }
    }

    static final class HiddenActivations implements ITypeConverter<Activation>, Iterable<String> {
        private static final List<String> NAMES = List.of("sigmoid", "tanh", "relu");

        @Override
        public Activation convert(String value) {
            if (!NAMES.contains(value)) {
                throw new TypeConversionException("'" + value + "' (expected one of " + String.join(", ", NAMES) + ")");
            }
            return Activation.fromId(value);
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }

    static final class Losses implements ITypeConverter<LossFunction> {
        @Override
        public LossFunction convert(String value) {
            try {
                return LossFunction.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Optimizers implements ITypeConverter<OptimizerKind> {
        @Override
        public OptimizerKind convert(String value) {
            try {
                return OptimizerKind.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
