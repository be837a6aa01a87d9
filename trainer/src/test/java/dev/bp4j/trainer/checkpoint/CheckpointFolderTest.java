package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.train.OptimizerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bp4j.trainer.io.WriteSteps;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class CheckpointFolderTest {

    @TempDir
    Path root;

    @Test
    void keepsTheNewestThreeAndRemovesAbandonedTemporaryFiles() throws Exception {
        CheckpointFolder folder = new CheckpointFolder(root.resolve("run"));
        folder.save(SampleCheckpoints.at(1, OptimizerKind.ADAM));
        Path abandoned = Files.writeString(folder.folder().resolve(".checkpoint-000000000002.safetensors.123.tmp"), "half");
        for (long step : new long[] {2, 30, 4, 1000}) {
            folder.save(SampleCheckpoints.at(step, OptimizerKind.ADAM));
        }
        // Saving step 4 removed step 30, a step the run went back behind (see the test below).
        assertEquals(List.of("checkpoint-000000001000.safetensors", "checkpoint-000000000004.safetensors",
                "checkpoint-000000000002.safetensors"), names(folder.checkpoints()));
        assertTrue(Files.notExists(abandoned));
        try (Stream<Path> listing = Files.list(folder.folder())) {
            assertEquals(3, listing.count(), "nothing but the three checkpoints is left");
        }
        CheckpointFolder.Loaded newest = folder.newestComplete(message -> fail("unexpected: " + message)).orElseThrow();
        assertEquals(1000, newest.checkpoint().state().step());
    }

    @Test
    void aDamagedNewestCheckpointIsSkippedForThePreviousOneWithAMessage() throws Exception {
        CheckpointFolder folder = new CheckpointFolder(root);
        Checkpoint older = SampleCheckpoints.at(10, OptimizerKind.MOMENTUM);
        folder.save(older);
        Path flipped = folder.save(SampleCheckpoints.at(20, OptimizerKind.MOMENTUM));
        Path truncated = folder.save(SampleCheckpoints.at(30, OptimizerKind.MOMENTUM));
        try (RandomAccessFile file = new RandomAccessFile(flipped.toFile(), "rw")) {
            file.seek(file.length() - 5);
            int b = file.read();
            file.seek(file.length() - 5);
            file.write(b ^ 0x10);
        }
        try (RandomAccessFile file = new RandomAccessFile(truncated.toFile(), "rw")) {
            file.setLength(file.length() - 100);
        }
        List<String> skipped = new ArrayList<>();
        CheckpointFolder.Loaded loaded = folder.newestComplete(skipped::add).orElseThrow();
        assertEquals(10, loaded.checkpoint().state().step());
        SampleCheckpoints.assertSame(older, loaded.checkpoint());
        assertEquals(2, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).contains(truncated.toString()), skipped.get(0));
        assertTrue(skipped.get(1).contains(flipped.toString()) && skipped.get(1).contains("checksum mismatch"), skipped.get(1));
    }

    /**
     * A run resumed from an older checkpoint because the newer ones are damaged: its new
     * checkpoints have lower step numbers than the damaged ones, and must survive pruning.
     */
    @Test
    void theCheckpointJustWrittenIsKeptAndDamagedHigherStepsAreRemoved() throws Exception {
        CheckpointFolder folder = new CheckpointFolder(root);
        for (long step : new long[] {50, 60, 70}) {
            Files.writeString(root.resolve(String.format("checkpoint-%012d.safetensors", step)), "damaged");
        }
        Path saved = folder.save(SampleCheckpoints.at(5, OptimizerKind.SGD));
        assertEquals(List.of(saved), folder.checkpoints());
        assertEquals(5, folder.newestComplete(m -> fail(m)).orElseThrow().checkpoint().state().step());
    }

    /** {@code eval --model DIR} while a run saves and prunes there: the reader always finds one. */
    @Test
    void aReaderAlwaysFindsACheckpointWhileARunSavesAndPrunes() throws Exception {
        CheckpointFolder folder = new CheckpointFolder(root, new WriteSteps() {
            @Override
            public void force(Path path, FileChannel channel) {
                // No fsync: saves as fast as possible, to widen the race between listing and reading.
            }
        });
        for (long step = 1; step <= 3; step++) {
            folder.save(SampleCheckpoints.at(step, OptimizerKind.SGD));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread saver = new Thread(() -> {
            try {
                for (long step = 4; !stop.get(); step++) {
                    folder.save(SampleCheckpoints.at(step, OptimizerKind.SGD));
                }
            } catch (Exception e) {
                failure.set(e);
            }
        });
        saver.start();
        try {
            for (int read = 0; read < 1000 && failure.get() == null; read++) {
                assertTrue(new CheckpointFolder(root).newestComplete(m -> fail(m)).isPresent(), "read " + read + " found none");
            }
        } finally {
            stop.set(true);
            saver.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    @Test
    void aFolderWithoutCompleteCheckpointsGivesNothing() throws Exception {
        assertTrue(new CheckpointFolder(root.resolve("absent")).newestComplete(m -> fail(m)).isEmpty());
        Files.writeString(root.resolve("checkpoint-000000000007.safetensors"), "not a checkpoint");
        Files.writeString(root.resolve("notes.txt"), "ignored");
        List<String> skipped = new ArrayList<>();
        assertTrue(new CheckpointFolder(root).newestComplete(skipped::add).isEmpty());
        assertEquals(1, skipped.size(), skipped.toString());
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }
}
