package dev.bp4j.trainer.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the model and checkpoint reader (Jazzer). A plain {@code mvn test}
 * replays the seed files under {@code ModelFilesFuzzTestInputs/modelOrCheckpoint/} in the test
 * resources; {@code JAZZER_FUZZ=1 mvn -pl trainer test -Dtest=ModelFilesFuzzTest} fuzzes for the
 * {@code maxDuration}. {@link ModelFilesMutationTest} runs seeded mutations of the same seeds in CI.
 */
class ModelFilesFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void modelOrCheckpoint(byte[] input) {
        ModelFileContract.check(input);
    }
}
