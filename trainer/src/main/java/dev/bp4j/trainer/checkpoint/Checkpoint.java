package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.train.TrainingSettings;
import dev.bp4j.trainer.train.TrainingState;

/**
 * A run frozen between two steps: the model as a model file would hold it (so {@code eval}
 * can use a checkpoint), the settings the run trains with, and the state it continues from.
 * The model's parameters are the state's.
 */
public record Checkpoint(SavedModel model, TrainingSettings settings, TrainingState state) {

    public Checkpoint {
        if (model.parameters() != state.parameters()) {
            throw new IllegalArgumentException("the model's parameters must be the training state's");
        }
        if (settings.optimizer().kind() != state.optimizer().kind()) {
            throw new IllegalArgumentException("settings for " + settings.optimizer().kind().id() + " but the state of "
                    + state.optimizer().kind().id());
        }
    }
}
