package dev.bp4j.opencl;

import dev.bp4j.api.contract.BackendContractTest;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract suite on OpenCL: on PoCL in CI, on whatever device the machine has elsewhere. */
@ExtendWith(OpenClPresent.class)
class OpenClContractTest extends BackendContractTest {
    @Override
    protected String backendName() {
        return OpenClBackendProvider.NAME;
    }
}
