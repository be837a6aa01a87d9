package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.model.ModelFile;
import dev.bp4j.trainer.model.SafetensorsFile;
import dev.bp4j.trainer.model.SavedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Where a trained model can come from: a model file, a checkpoint file, or a checkpoint folder (its newest complete checkpoint). */
public final class TrainedModels {

    private TrainedModels() {
    }

    public static SavedModel load(Path location, Consumer<String> warnings) throws IOException, DataFormatException {
        if (!Files.exists(location)) {
            throw new NoSuchFileException(location.toString(), null, "no such file or folder; give a model saved by bp4j train "
                    + "--save, a checkpoint, or a --checkpoint-dir folder");
        }
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
