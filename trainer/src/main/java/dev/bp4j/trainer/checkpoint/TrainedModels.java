package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.model.ModelFile;
import dev.bp4j.trainer.model.SafetensorsFile;
import dev.bp4j.trainer.model.SavedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Where a trained model can come from: a model file, a checkpoint file, or a checkpoint folder (its newest complete checkpoint). */
public final class TrainedModels {

    private TrainedModels() {
    }

    public static SavedModel load(Path location, Consumer<String> warnings) throws IOException, DataFormatException {
        if (Files.isDirectory(location)) {
            CheckpointFolder folder = new CheckpointFolder(location);
            return folder.newestComplete(warnings)
                    .orElseThrow(() -> new DataFormatException(location + ": expected a folder with a complete checkpoint-<step>.safetensors, found none"))
                    .checkpoint().model();
        }
        SafetensorsFile.Contents contents = SafetensorsFile.read(location);
        if (CheckpointFile.isCheckpoint(contents.metadata())) {
            return CheckpointFile.read(location).model();
        }
        return ModelFile.decode(location, contents.tensors(), contents.metadata());
    }
}
