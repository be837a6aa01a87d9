package dev.bp4j.trainer.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz tests of the IDX and CSV readers (Jazzer). A plain {@code mvn test} replays
 * the seed inputs under {@code DataReadersFuzzTestInputs/<method>/} in the test resources as
 * ordinary tests; {@code JAZZER_FUZZ=1} fuzzes a method for its {@code maxDuration}, e.g.
 * {@code JAZZER_FUZZ=1 mvn -pl trainer test -Dtest=DataReadersFuzzTest#csv}.
 */
class DataReadersFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void idxImages(byte[] input) {
        ReaderContract.check(ReaderContract.IDX_IMAGES, input);
    }

    @FuzzTest(maxDuration = "5m")
    void idxLabels(byte[] input) {
        ReaderContract.check(ReaderContract.IDX_LABELS, input);
    }

    @FuzzTest(maxDuration = "5m")
    void csv(byte[] input) {
        ReaderContract.check(ReaderContract.CSV_DATA_SET, input);
    }
}
