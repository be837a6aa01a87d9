package dev.bp4j.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where Fashion-MNIST (Zalando Research, MIT licence; 60 000 training and 10 000 test images of
 * 28×28 pixels, 10 classes) is looked for: where Debian's dataset-fashion-mnist package installs
 * it, then a per-user cache, then the working directory.
 */
final class FashionMnist {

    static final String NAME = "fashion-mnist";
    static final int CLASS_COUNT = 10;
    static final String INSTALL_HINT = "apt-get install dataset-fashion-mnist";

    private FashionMnist() {
    }

    static List<Path> usualPlaces() {
        return List.of(
                Path.of("/usr/share/datasets/fashion-mnist"),
                Path.of(System.getProperty("user.home"), ".cache", "bp4j", "fashion-mnist"),
                Path.of("data", "fashion-mnist"));
    }

    /** The first of {@code places} that holds the data set's files. */
    static Path locate(List<Path> places) throws DataFormatException {
        for (Path place : places) {
            if (Files.isDirectory(place) && IdxFolder.holdsAny(place)) {
                return place;
            }
        }
        throw new DataFormatException(NAME + ": not found in " + String.join(", ", places.stream().map(Path::toString).toList())
                + "; install it with `" + INSTALL_HINT + "`");
    }

    static UnscaledSplit load(List<Path> places) throws DataFormatException {
        return IdxFolder.load(locate(places), CLASS_COUNT);
    }
}
