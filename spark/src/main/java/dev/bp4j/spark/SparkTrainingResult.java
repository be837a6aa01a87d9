package dev.bp4j.spark;

import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.train.Evaluation;

import java.util.List;
import java.util.Map;

/**
 * A finished data-parallel run.
 *
 * @param model   the combined model, ready for {@link dev.bp4j.trainer.model.ModelFile#save}
 * @param epochs  the epochs this call trained (after a resume, only those)
 * @param workers for each partition, the executor and backend its replica ran on
 */
public record SparkTrainingResult(SavedModel model, List<SyncedEpoch> epochs, Evaluation finalTest, Map<Integer, String> workers) {

    public SparkTrainingResult {
        epochs = List.copyOf(epochs);
        workers = Map.copyOf(workers);
    }

    public double trainSeconds() {
        return epochs.stream().mapToDouble(SyncedEpoch::seconds).sum();
    }

    public double samplesPerSecond() {
        return epochs.stream().mapToLong(SyncedEpoch::samples).sum() / trainSeconds();
    }
}
