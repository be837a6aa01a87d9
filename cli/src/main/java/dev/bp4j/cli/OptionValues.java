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
