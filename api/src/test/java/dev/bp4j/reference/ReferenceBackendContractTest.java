package dev.bp4j.reference;

import dev.bp4j.api.contract.BackendContractTest;

/** The oracle passes its own contract: the suite's float64 expectations and the reference agree. */
class ReferenceBackendContractTest extends BackendContractTest {
    @Override
    protected String backendName() {
        return "reference";
    }
}
