package dev.bp4j.opencl;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendUnavailableException;
import dev.bp4j.api.Backends;
import dev.bp4j.api.DeviceOutOfMemoryException;
import dev.bp4j.api.Matrix;
import org.jocl.CL;
import org.jocl.CLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the contract suite cannot see: devices, build errors, out of memory and releasing on close. */
@ExtendWith(OpenClPresent.class)
class OpenClBackendTest {

    private static final BackendOptions EXPLICIT = new BackendOptions(0, null, true);
    private final OpenClBackendProvider provider = new OpenClBackendProvider();

    private static OpenClDevice defaultDevice() {
        OpenClPlatforms.Survey survey = OpenClPlatforms.survey();
        assertTrue(survey.usable(), () -> "OpenCL must be usable here: " + survey.problem());
        return DeviceChoice.choose(survey.devices(), null).orElseThrow();
    }

    @Test
    void aKernelThatDoesNotBuildReportsTheBuildLogAndTheDevice() {
        OpenClDevice device = defaultDevice();
        try (DeviceContext context = new DeviceContext(device); ProgramCache programs = new ProgramCache(context)) {
            KernelBuildException e = assertThrows(KernelBuildException.class,
                    () -> programs.kernel(List.of("activation_functions.h", "gemm.cl"), "-DWORK_M=6", "gemm"));
            assertTrue(e.buildLog().contains("WORK_M, WORK_N and TILE_K must be multiples of 4"),
                    () -> "the log carries the kernel's own #error: " + e.buildLog());
            assertTrue(e.getMessage().contains(e.buildLog()), "the message carries the log");
            assertTrue(e.getMessage().contains(device.name()), "the message names the device");
            assertTrue(e.getMessage().contains("-DWORK_M=6"), "the message names the options");
            assertEquals(0, programs.liveObjects(), "a failed build holds nothing");
        }
    }

    @Test
    void aDeviceSelectorThatMatchesNothingSaysWhatExists() {
        for (String selector : List.of("no-such-device-xyz", "99")) {
            BackendOptions options = new BackendOptions(0, selector, true);
            Optional<String> reason = provider.unavailableReason(options, false);
            assertTrue(reason.isPresent(), "selector " + selector + " matches nothing");
            assertTrue(reason.get().contains("'" + selector + "'") && reason.get().contains("#0 " + defaultDevice().name()),
                    () -> "names the selector and lists the devices: " + reason.get());
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                    () -> Backends.open(OpenClBackendProvider.NAME, options, message -> { }));
            assertTrue(e.getMessage().contains(reason.get()), e.getMessage());

            // Not strict: the fallback says why once, not again among the backends auto passed over.
            List<String> log = new ArrayList<>();
            try (Backend fallback = Backends.open(OpenClBackendProvider.NAME, new BackendOptions(0, selector, false), log::add)) {
                assertEquals(1, log.size(), log.toString());
                assertEquals(log.get(0).indexOf(reason.get()), log.get(0).lastIndexOf(reason.get()), log.get(0));
                assertTrue(log.get(0).contains("using backend " + fallback.name()), log.get(0));
            }
        }
    }

    @Test
    void devicesAreSelectedByIndexOrNameSubstring() {
        OpenClDevice device = defaultDevice();
        String fragment = device.name().substring(0, Math.min(6, device.name().length())).toUpperCase(java.util.Locale.ROOT);
        for (String selector : List.of(Integer.toString(device.index()), fragment)) {
            try (Backend backend = Backends.open(OpenClBackendProvider.NAME, new BackendOptions(0, selector, true), m -> { })) {
                assertTrue(backend.deviceDescription().startsWith(device.name()), backend.deviceDescription());
            }
        }
    }

    @Test
    void autoTakesOnlyGpus() {
        OpenClDevice device = defaultDevice();
        assertEquals(Optional.empty(), provider.unavailableReason(BackendOptions.DEFAULT, false), "explicit use takes any device");
        Optional<String> forAuto = provider.unavailableReason(BackendOptions.DEFAULT, true);
        if (device.gpu()) {
            assertEquals(Optional.empty(), forAuto);
        } else {
            assertTrue(forAuto.isPresent() && forAuto.get().contains("no OpenCL GPU"), "auto declines " + device.name());
        }
    }

    @Test
    void closingReleasesEveryBufferProgramAndKernel() {
        OpenClBackend backend = (OpenClBackend) provider.open(EXPLICIT);
        Matrix input = backend.allocate(5, 7);
        Matrix weights = backend.allocate(3, 7);
        Matrix bias = backend.allocate(1, 3);
        Matrix output = backend.allocate(5, 3);
        backend.upload(new float[35], input);
        backend.denseForward(input, weights, bias, Activation.SIGMOID, output);
        backend.columnSums(1f, output, 0f, bias);
        backend.allocateIndices(4);
        backend.sync();
        assertEquals(5, backend.stats().liveBuffers());
        assertTrue(backend.liveDeviceObjects() > 5, "programs and kernels were built");
        backend.close();
        assertEquals(0, backend.stats().liveBuffers());
        assertEquals(0, backend.liveDeviceObjects());
        assertTrue(input.isClosed() && output.isClosed());
        backend.close();
    }

    /**
     * One matrix just over the device's largest allocation. The checking facade caps a matrix at
     * 2³¹ floats (8 GiB), less than many GPUs allow in one buffer (an H200: 35 GiB), so there the
     * backend is opened without the facade: the device's refusal and its typed error are the same.
     */
    @Test
    void runningOutOfDeviceMemoryIsTypedAndTheBackendCarriesOn() {
        OpenClDevice device = defaultDevice();
        long tooMany = device.largestAllocationBytes() / Float.BYTES + 1024;
        int cols = 1024;
        int rows = (int) ((tooMany + cols - 1) / cols);
        boolean facadeAllowsIt = tooMany < Integer.MAX_VALUE - 8;
        try (Backend backend = facadeAllowsIt ? Backends.open(OpenClBackendProvider.NAME, EXPLICIT, m -> { }) : provider.open(EXPLICIT)) {
            DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> backend.allocate(rows, cols));
            assertEquals((long) Float.BYTES * rows * cols, e.requestedBytes());
            assertTrue(e.availableBytes() >= 0 && e.availableBytes() <= device.largestAllocationBytes(), e.getMessage());
            assertTrue(e.getMessage().contains(device.name()), e.getMessage());
            assertEquals(0, backend.stats().liveBuffers(), "nothing was left allocated");
            Matrix small = backend.allocate(2, 2);
            backend.fill(small, 1.5f);
            float[] back = new float[4];
            backend.download(small, back);
            assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f, 1.5f}, back);
        }
    }

    /** NVIDIA allocates lazily, so out of memory also surfaces at enqueue or clFinish; PoCL cannot be made to do that. */
    @Test
    void deviceErrorsAtEnqueueOrFinishBecomeTypedOutOfMemory() {
        OpenClDevice device = defaultDevice();
        try (DeviceContext context = new DeviceContext(device)) {
            DeviceBuffer held = context.allocate(1024);
            for (int status : new int[] {CL.CL_MEM_OBJECT_ALLOCATION_FAILURE, CL.CL_OUT_OF_RESOURCES}) {
                RuntimeException e = context.translate(new CLException("enqueue failed", status), 4096);
                DeviceOutOfMemoryException oom = assertInstanceOf(DeviceOutOfMemoryException.class, e);
                assertEquals(4096, oom.requestedBytes());
                assertEquals(device.globalMemoryBytes() - 1024, oom.availableBytes());
            }
            RuntimeException other = context.translate(new CLException("bad value", CL.CL_INVALID_VALUE), 4096);
            assertInstanceOf(IllegalStateException.class, other);
            assertTrue(other.getMessage().contains(device.name()) && other.getMessage().contains("bad value"), other.getMessage());
            context.release(held);
            assertEquals(0, context.counters().snapshot().liveBuffers());
        }
    }

    @Test
    void describeDevicesRunsTheSanityKernelOnEachDevice() {
        List<String> lines = provider.describeDevices(BackendOptions.DEFAULT);
        long devices = OpenClPlatforms.survey().devices().size();
        assertEquals(devices, lines.stream().filter(line -> line.contains("sanity kernel: ok")).count(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.contains("compute units") && line.contains("largest allocation")));
    }
}
