package dev.bp4j.trainer.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The durability and the clean-up of {@link AtomicFile}, observed through its {@link WriteSteps}. */
class AtomicFileTest {

    @TempDir
    Path folder;

    /**
     * fsync of the complete temporary file, then the rename, then fsync of the folder: without
     * the first a power loss can leave an empty or partial target behind the rename; without
     * the last, the old file.
     */
    @Test
    void theTemporaryFileIsForcedBeforeTheRenameAndTheFolderAfterIt() throws Exception {
        Path target = folder.resolve("model.safetensors");
        List<String> events = new ArrayList<>();
        AtomicFile.write(target, out -> out.write("content".getBytes(StandardCharsets.UTF_8)), new WriteSteps() {
            @Override
            public void force(Path path, FileChannel channel) throws IOException {
                events.add("force " + (path.equals(folder.toAbsolutePath()) ? "folder" : "file of " + Files.size(path) + " bytes"));
                WriteSteps.super.force(path, channel);
            }

            @Override
            public void beforeRename(Path temporary, Path renamedTo) {
                events.add("rename");
            }
        });
        assertEquals(List.of("force file of 7 bytes", "rename", "force folder"), events);
        assertEquals("content", Files.readString(target));
    }

    @Test
    void aCrashsTemporaryFileIsRemovedByTheNextWriteOfTheSameTarget() throws Exception {
        Path target = folder.resolve("final.safetensors");
        Path abandoned = folder.resolve(".final.safetensors.3sif6e48g5wbb" + AtomicFile.TEMPORARY_SUFFIX);
        Path otherTarget = folder.resolve(".other.safetensors.3sif6e48g5wbb" + AtomicFile.TEMPORARY_SUFFIX);
        Files.writeString(abandoned, "half");
        Files.writeString(otherTarget, "another file's");
        AtomicFile.write(target, out -> out.write(1));
        assertEquals(List.of(otherTarget, target), listing());
    }

    @Test
    void aFailedWriteNamesTheTargetAndTheReasonAndLeavesNoTemporaryFile() throws Exception {
        Path target = folder.resolve("report.json");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> AtomicFile.write(target, out -> {
            out.write(1);
            throw new java.nio.file.FileSystemException(null, null, "No space left on device");
        }));
        assertEquals("cannot write " + target + ": No space left on device", e.getMessage());
        assertEquals(List.of(), listing());
        assertTrue(AtomicFile.whyNotWritable(folder).startsWith("it is a folder"));
        assertTrue(AtomicFile.whyNotWritable(folder.resolve("none").resolve("x")).contains("does not exist"));
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }
}
