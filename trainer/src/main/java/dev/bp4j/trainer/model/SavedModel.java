package dev.bp4j.trainer.model;

import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;

/**
 * Everything a trained model file holds: the network's shape and parameters, the feature
 * scaling its inputs need, and the data it was trained on, so {@code eval} can rebuild the same
 * test split.
 *
 * @param classification true when the outputs are class scores (accuracy is defined)
 * @param version        the bp4j version that wrote the file
 */
public record SavedModel(NetworkSpec spec, NetworkParameters parameters, FeatureScaling scaling, DataRequest data,
                         boolean classification, String version) {

    public SavedModel {
        parameters.checkMatches(spec);
        if (scaling.offset().length != spec.inputs() || scaling.scale().length != spec.inputs()) {
            throw new IllegalArgumentException("feature scaling for " + scaling.offset().length + " features, but the network takes "
                    + spec.inputs() + " inputs");
        }
    }
}
