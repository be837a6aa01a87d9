package dev.bp4j.cli;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.trainer.BuildInfo;
import dev.bp4j.trainer.checkpoint.CheckpointFolder;
import dev.bp4j.trainer.checkpoint.TrainingMetadata;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.io.AtomicFile;
import dev.bp4j.trainer.io.WriteSteps;
import dev.bp4j.trainer.model.ModelFile;
import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.cli.plot.TrainingCurves;
import dev.bp4j.trainer.train.EpochSummary;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.Safeguards;
import dev.bp4j.trainer.train.Trainer;
import dev.bp4j.trainer.train.TrainingResult;
import dev.bp4j.trainer.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code bp4j train}: trains a network on a data source, optionally saving the model and a JSON report. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a multi-layer perceptron by mini-batch backpropagation.",
        footer = "%nDefaults per data source: digits 30 epochs, batch 32; xor 2000 epochs, batch 4, momentum; fashion-mnist "
                + "10 epochs, batch 64; otherwise 20 epochs, batch 32. Learning rates: "
                + "adam 0.003, momentum 0.05, sgd 0.5 (xor: 0.1, 0.5, 2).")
final class TrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "SOURCE", defaultValue = DataSources.DIGITS,
            description = "digits (embedded), xor, fashion-mnist, a folder of IDX files, or a CSV file (default: ${DEFAULT-VALUE})")
    private String data;

    @Option(names = "--layers", paramLabel = "W", split = ",",
            description = "every layer width, input first, e.g. 64,32,10 (default: features,64,outputs; xor 2,2,1)")
    private int[] layers;

    @Option(names = "--activation", paramLabel = "F", defaultValue = "sigmoid", converter = OptionValues.HiddenActivations.class,
            completionCandidates = OptionValues.HiddenActivations.class,
            description = "hidden-layer activation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private Activation activation;

    @Option(names = "--loss", paramLabel = "LOSS", converter = OptionValues.Losses.class,
            description = "softmax-ce, bce or mse (default: softmax-ce for several classes, bce for one 0/1 output, mse for regression)")
    private LossFunction loss;

    @Option(names = "--optimizer", paramLabel = "NAME", converter = OptionValues.Optimizers.class,
            description = "sgd, momentum (0.9, PyTorch form) or adam (default: adam)")
    private OptimizerKind optimizer;

    @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (default: per optimizer and data, see below)")
    private Float learningRate;

    @Option(names = "--batch", paramLabel = "N", description = "samples per step (default: per data source)")
    private Integer batch;

    @Option(names = "--epochs", paramLabel = "N", description = "passes over the training set (default: per data source)")
    private Integer epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "seeds the weights, the shuffles and the train/test split (default: ${DEFAULT-VALUE})")
    private long seed;

    @Mixin
    private BackendSelection backendSelection;

    @Option(names = "--label-column", paramLabel = "N", defaultValue = "-1",
            description = "CSV: the 0-based column holding the label; -1 = the last (default: ${DEFAULT-VALUE})")
    private int labelColumn;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "share held out for testing when the data has no test part (default: ${DEFAULT-VALUE})")
    private double testFraction;

    @Option(names = "--scaling", paramLabel = "METHOD", defaultValue = DataSources.AUTO_SCALING,
            description = "feature scaling fitted on the training set: auto, none, minmax or standard (default: ${DEFAULT-VALUE})")
    private String scaling;

    @Option(names = "--warm-up", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "before training, run the trainer on synthetic data shaped like the network, on backends whose "
                    + "kernels the JVM compiles as they run (cpu), so the first epoch runs at full speed; changes no result "
                    + "(default: on; --no-warm-up skips it)")
    private boolean warmUp;

    @Option(names = "--save", paramLabel = "FILE.safetensors", description = "write the trained model here")
    private Path save;

    @Option(names = "--report", paramLabel = "FILE.json", description = "write a JSON report of the run here")
    private Path report;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "draw the loss and accuracy curves of the run into this PNG")
    private Path plot;

    @Mixin
    private RecipeOptions recipe;

    @Mixin
    private CheckpointOptions checkpoints;

    @Option(names = "--quiet", description = "print only the summary and errors: no epoch lines, no progress bar")
    private boolean quiet;

    @Option(names = "--log-every", paramLabel = "N", defaultValue = "1",
            description = "print every Nth epoch line (the last epoch is always printed) (default: ${DEFAULT-VALUE})")
    private int logEvery;

    @Mixin
    private VerboseOption verbose;

    private TrainHooks hooks = TrainHooks.NONE;

    /** Attaches the crash tests' hooks; {@link Main#main} never calls it. */
    void attach(TrainHooks attached) {
        this.hooks = attached;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkOptions();
        checkOutputs();
        String source = normalisedSource();
        TrainingDefaults defaults = TrainingDefaults.forSource(source);
        OptimizerKind optimizerKind = optimizer != null ? optimizer : defaults.optimizer();
        float lr = learningRate != null ? learningRate : TrainingDefaults.learningRate(source, optimizerKind);
        TrainingSettings settings = new TrainingSettings(epochs != null ? epochs : defaults.epochs(),
                batch != null ? batch : defaults.batch(), seed, OptimizerSettings.of(optimizerKind, lr), recipe.recipe());

        DataRequest request = new DataRequest(source, labelColumn, testFraction, seed, scaling);
        try (Interruption interruption = Interruption.install();
             Backend backend = backendSelection.open(err)) {
            DataSplit split = DataSources.load(request);
            NetworkSpec network = networkFor(split, defaults);
            if (verbose.on) {
                err.printf(Locale.ROOT, "%s: %d training and %d test samples, %d features, %d %s; network %s; %s lr %s%n", source,
                        split.train().sampleCount(), split.test().sampleCount(), split.train().featureCount(), split.train().targetCount(),
                        split.classification() ? "classes" : "targets", network, optimizerKind.id(), lr);
            }
            if (settings.batchSize() > split.train().sampleCount()) {
                err.printf(Locale.ROOT, "--batch %d: %s has %d training samples, so each step takes all %d%n", settings.batchSize(),
                        source, split.train().sampleCount(), split.train().sampleCount());
            }
            Optional<CheckpointFolder.Loaded> resumed = checkpoints.resumePoint(err, network, settings, request);
            train(backend, source, split, network, settings, request, resumed, out, err, interruption);
            return interruption.received() != null ? interruption.exitStatus() : 0;
        }
    }

    private void train(Backend backend, String source, DataSplit split, NetworkSpec network, TrainingSettings settings,
                       DataRequest request, Optional<CheckpointFolder.Loaded> resumed, PrintWriter out, PrintWriter err,
                       Interruption interruption) throws IOException {
        Safeguards safeguards = checkpoints.safeguards(backend, network, settings, split.scaling(), request, split.classification(),
                interruption.writes(hooks.checkpointWrites()));
        if (warmUp && backend.benefitsFromWarmUp()) {
            Trainer.warmUp(backend, network, settings, safeguards.divergenceCheckEverySteps());
        }
        try (Trainer trainer = resumed.isPresent()
                ? Trainer.resume(backend, network, split, settings, resumed.get().checkpoint().state())
                : new Trainer(backend, network, split, settings)) {
            ConsoleProgress progress = new ConsoleProgress(quiet ? null : out,
                    !quiet && ConsoleProgress.terminalWanted() ? System.err : null, settings.epochs(), logEvery,
                    trainer.stepsPerEpoch(), resumed.map(r -> r.checkpoint().state().step()).orElse(0L));
            TrainingResult result;
            interruption.whileTraining(trainer::requestStop);
            try {
                result = trainer.train(progress.andThen(hooks.listener()), safeguards);
            } finally {
                interruption.trainingEnded();
            }
            out.println(summary(backend, source, settings, trainer.batchSize(), result));
            if (settings.recipe().validates()) {
                out.printf(Locale.ROOT, "chosen epoch %d of %d (lowest validation loss)%s%n", result.chosenEpoch(),
                        result.epochs().size(), result.stoppedEarly() ? ", stopped early" : "");
            }
            WriteSteps writes = interruption.writes(WriteSteps.DIRECT);
            List<String> kept = new ArrayList<>();
            if (save != null) {
                Map<String, String> notes = new LinkedHashMap<>(TrainingMetadata.forModel(settings, result));
                if (result.interrupted()) {
                    notes.put(ModelFile.INTERRUPTED_AFTER_STEP, Long.toString(result.steps()));
                }
                ModelFile.save(save, new SavedModel(network, trainer.network().download(), split.scaling(), request,
                        split.classification(), BuildInfo.version()), notes, writes);
                out.println("saved the model of epoch " + result.chosenEpoch() + " to " + save);
                kept.add("the model in " + save);
            }
            if (report != null) {
                TrainingReport.write(report, TrainingReport.toJson(backend.name(), backend.deviceDescription(), source, network,
                        settings, trainer.batchSize(), result), writes);
                out.println("wrote the report to " + report);
                kept.add("the report in " + report);
            }
            if (plot != null && !result.epochs().isEmpty()) {
                TrainingCurves.of(source + ", " + network.architecture() + ", " + backend.name(), result.epochs()).writePng(plot, writes);
                out.println("drew the training curves to " + plot);
                kept.add("the curves in " + plot);
            }
            out.flush();
            if (result.interrupted()) {
                err.println(interruptedLine(interruption, result, kept));
                err.flush();
            }
        }
    }

    /** The one line an interrupted run ends with: where it stopped and what it kept. */
    private String interruptedLine(Interruption interruption, TrainingResult result, List<String> kept) throws IOException {
        if (checkpoints.folder != null) {
            kept.add("a last checkpoint in " + new CheckpointFolder(checkpoints.folder).checkpoints().getFirst());
        }
        String signal = interruption.received() != null ? "SIG" + interruption.received().getName() : "a stop request";
        return "bp4j train: interrupted by " + signal + " after step " + result.steps() + "; kept "
                + (kept.isEmpty() ? "nothing (no --save, --report, --plot or --checkpoint-dir was given)" : String.join(", ", kept))
                + (checkpoints.folder != null ? "; add --resume to the same command to continue" : "");
    }

    /** Every output is checked before the data loads, so a run never trains for nothing. */
    private void checkOutputs() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("--save", save);
        files.put("--report", report);
        files.put("--plot", plot);
        for (Map.Entry<String, Path> file : files.entrySet()) {
            if (file.getValue() == null) {
                continue;
            }
            String problem = AtomicFile.whyNotWritable(file.getValue());
            if (problem != null) {
                throw usage(file.getKey() + " " + file.getValue() + ": " + problem);
            }
        }
        checkpoints.checkFolder();
    }

    private void checkOptions() {
        checkpoints.check();
        if (learningRate != null && !(learningRate > 0 && Float.isFinite(learningRate))) {
            throw usage("--lr: expected a positive number, got " + learningRate);
        }
        if (batch != null && batch < 1) {
            throw usage("--batch: expected at least 1, got " + batch);
        }
        if (epochs != null && epochs < 1) {
            throw usage("--epochs: expected at least 1, got " + epochs);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw usage("--test-fraction: expected a number between 0 and 1, got " + testFraction);
        }
        if (layers != null && (layers.length < 2 || Arrays.stream(layers).anyMatch(w -> w < 1))) {
            throw usage("--layers " + joined(layers) + ": expected at least an input and an output width, each at least 1");
        }
        if (layers != null) {
            for (int l = 0; l + 1 < layers.length; l++) {
                long weights = (long) layers[l] * layers[l + 1];
                if (weights > NetworkSpec.MAX_MATRIX_ELEMENTS) {
                    throw usage(String.format(Locale.ROOT, "--layers %s: layer %d would hold %,d × %,d = %,d weights, more than the "
                            + "largest matrix (%,d floats); use narrower layers", joined(layers), l, layers[l + 1], layers[l], weights,
                            NetworkSpec.MAX_MATRIX_ELEMENTS));
                }
            }
        }
        if (!DataSources.SCALINGS.contains(scaling)) {
            throw usage("--scaling: expected one of " + String.join(", ", DataSources.SCALINGS) + ", got '" + scaling + "'");
        }
        if (logEvery < 1) {
            throw usage("--log-every: expected at least 1, got " + logEvery);
        }
        if (labelColumn < -1) {
            throw usage("--label-column: expected a 0-based column or -1 for the last, got " + labelColumn);
        }
    }

    /** File sources are recorded as absolute paths, so eval finds them from any folder. */
    private String normalisedSource() {
        if (data.equals(DataSources.DIGITS) || data.equals(DataSources.XOR) || data.equals(DataSources.FASHION_MNIST)) {
            return data;
        }
        Path path = Path.of(data);
        return Files.exists(path) ? path.toAbsolutePath().normalize().toString() : data;
    }

    private NetworkSpec networkFor(DataSplit split, TrainingDefaults defaults) {
        int features = split.train().featureCount();
        int outputs = split.train().targetCount();
        int[] widths = layers != null ? layers : new int[] {features, defaults.hiddenWidth(), outputs};
        if (widths[0] != features || widths[widths.length - 1] != outputs) {
            throw usage("--layers " + joined(widths) + ": " + split.source() + " has " + features + " features and " + outputs
                    + (split.classification() ? " classes" : " targets") + ", so the widths must start with " + features
                    + " and end with " + outputs);
        }
        LossFunction chosen = loss != null ? loss : defaultLoss(split.classification(), outputs);
        if (!split.classification() && chosen.takesLogits()) {
            throw usage("--loss " + chosen.id() + " needs class labels, but " + split.source() + " has regression targets; use mse");
        }
        if (chosen == LossFunction.SOFTMAX_CROSS_ENTROPY && outputs < 2) {
            throw usage("--loss softmax-ce needs at least 2 outputs; " + split.source() + " has 1 (use bce)");
        }
        return NetworkSpec.of(widths, activation, chosen, split.classification());
    }

    static LossFunction defaultLoss(boolean classification, int outputs) {
        if (!classification) {
            return LossFunction.QUADRATIC;
        }
        return outputs == 1 ? LossFunction.SIGMOID_CROSS_ENTROPY : LossFunction.SOFTMAX_CROSS_ENTROPY;
    }

    private static String summary(Backend backend, String source, TrainingSettings settings, int batchSize, TrainingResult result) {
        String quality = result.finalTest().hasAccuracy()
                ? String.format(Locale.ROOT, "test accuracy %.4f (%d samples)", result.finalTest().accuracy(), result.finalTest().samples())
                : String.format(Locale.ROOT, "test loss %.6f (%d samples)", result.finalTest().loss(), result.finalTest().samples());
        List<EpochSummary> ran = result.epochs();
        String epochs;
        if (ran.size() == settings.epochs()) {
            epochs = settings.epochs() + " epochs";
        } else if (ran.isEmpty()) {
            epochs = "no epoch finished here (" + result.steps() + " steps of " + settings.epochs() + " epochs in all)";
        } else {
            epochs = String.format(Locale.ROOT, "%d %s (%d to %d of %d)", ran.size(), ran.size() == 1 ? "epoch" : "epochs",
                    ran.getFirst().epoch(), ran.getLast().epoch(), settings.epochs());
        }
        return String.format(Locale.ROOT, "%s: %s, batch %d, in %.2f s (%,.0f samples/s, %d backend operations per step) on %s: %s",
                source, epochs, batchSize, result.trainSeconds(), result.samplesPerSecond(), result.kernelLaunchesPerStep(),
                backend.name(), quality);
    }

    private static String joined(int[] widths) {
        return String.join(",", Arrays.stream(widths).mapToObj(Integer::toString).toList());
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
