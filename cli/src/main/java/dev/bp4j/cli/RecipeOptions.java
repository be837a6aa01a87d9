package dev.bp4j.cli;

import dev.bp4j.trainer.nn.WeightInit;
import dev.bp4j.trainer.train.LearningRateSchedule;
import dev.bp4j.trainer.train.TrainingRecipe;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.Locale;

/**
 * {@code bp4j train}'s options for the best model rather than the last: weight decay, dropout,
 * the learning-rate schedule, gradient clipping, validation and early stopping. Training-only:
 * {@code eval} and {@code predict} read none of them.
 */
final class RecipeOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--weight-decay", paramLabel = "LAMBDA", defaultValue = "0",
            description = "weight decay: L2 for sgd and momentum, decoupled (AdamW) for adam; weight matrices only, biases "
                    + "are excluded unless --weight-decay-biases (default: ${DEFAULT-VALUE})")
    float weightDecay;

    @Option(names = "--weight-decay-biases", description = "let --weight-decay shrink the biases too")
    boolean decayBiases;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0",
            description = "drop each hidden unit with probability P while training (inverted dropout, masks made on the "
                    + "device from --seed and the step; off for evaluation and predict) (default: ${DEFAULT-VALUE})")
    float dropout;

    @Option(names = "--input-dropout", paramLabel = "P", defaultValue = "0",
            description = "drop each input feature with probability P while training (inverted dropout, as --dropout) "
                    + "(default: ${DEFAULT-VALUE})")
    float inputDropout;

    @Option(names = "--init", paramLabel = "SCHEME", defaultValue = "auto",
            description = "initial weights, uniform: he (±√(6/in)), glorot (±√(6/(in+out))), fan-in (±1/√in, biases too: "
                    + "PyTorch's nn.Linear default) or auto (he for relu layers, glorot otherwise) (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--lr-schedule", paramLabel = "KIND", defaultValue = "constant",
            description = "constant, step (×--lr-step-gamma every --lr-step-epochs) or cosine (to 0 at the last step) "
                    + "(default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--warmup-steps", paramLabel = "N", defaultValue = "0",
            description = "raise the rate linearly over the first N steps, before the schedule (default: ${DEFAULT-VALUE})")
    int warmupSteps;

    @Option(names = "--lr-step-epochs", paramLabel = "N", defaultValue = "10",
            description = "step schedule: epochs between decays (default: ${DEFAULT-VALUE})")
    int stepEpochs;

    @Option(names = "--lr-step-gamma", paramLabel = "G", defaultValue = "0.1",
            description = "step schedule: factor at each decay (default: ${DEFAULT-VALUE})")
    float stepGamma;

    @Option(names = "--clip-norm", paramLabel = "MAX", defaultValue = "0",
            description = "clip the gradients to this global L2 norm, computed on the device; 0 = off (default: ${DEFAULT-VALUE})")
    float clipNorm;

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0",
            description = "hold this share of the training part out (seeded) and validate after each epoch; the run ends "
                    + "with, and --save writes, the epoch of lowest validation loss (default: ${DEFAULT-VALUE})")
    double validationFraction;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE", defaultValue = "0",
            description = "stop after PATIENCE epochs without a lower validation loss; needs --validation-fraction; "
                    + "0 = off (default: ${DEFAULT-VALUE})")
    int patience;

    /** The recipe the options describe; each bad value is a usage error naming its option. */
    TrainingRecipe recipe() {
        if (!(weightDecay >= 0 && Float.isFinite(weightDecay))) {
            throw usage("--weight-decay: expected a number ≥ 0, got " + weightDecay);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw usage("--dropout: expected a probability in [0, 1), got " + dropout);
        }
        if (!(inputDropout >= 0 && inputDropout < 1)) {
            throw usage("--input-dropout: expected a probability in [0, 1), got " + inputDropout);
        }
        if (!(clipNorm >= 0 && Float.isFinite(clipNorm))) {
            throw usage("--clip-norm: expected a number ≥ 0, got " + clipNorm);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw usage("--validation-fraction: expected a number in [0, 1), got " + validationFraction);
        }
        if (patience < 0) {
            throw usage("--early-stopping: expected a number of epochs ≥ 0, got " + patience);
        }
        if (patience > 0 && validationFraction == 0) {
            throw usage("--early-stopping " + patience + " needs a validation part: add --validation-fraction, e.g. 0.1");
        }
        if (warmupSteps < 0) {
            throw usage("--warmup-steps: expected a number ≥ 0, got " + warmupSteps);
        }
        if (stepEpochs < 1) {
            throw usage("--lr-step-epochs: expected at least 1, got " + stepEpochs);
        }
        if (!(stepGamma > 0 && stepGamma <= 1)) {
            throw usage("--lr-step-gamma: expected a factor in (0, 1], got " + stepGamma);
        }
        WeightInit scheme;
        try {
            scheme = WeightInit.fromId(init.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("--init: expected auto, he, glorot or fan-in, got '" + init + "'");
        }
        LearningRateSchedule.Kind kind;
        try {
            kind = LearningRateSchedule.Kind.fromId(schedule.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("--lr-schedule: expected constant, step or cosine, got '" + schedule + "'");
        }
        return new TrainingRecipe(weightDecay, decayBiases, dropout, inputDropout, new LearningRateSchedule(kind, warmupSteps, stepEpochs, stepGamma),
                clipNorm, validationFraction, patience, scheme);
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
