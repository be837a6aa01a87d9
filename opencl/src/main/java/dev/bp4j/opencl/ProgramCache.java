package dev.bp4j.opencl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Programs built on one context's device, each kept under its source files and build options,
 * and the kernels created from them. Everything is built on first use and released on close.
 */
final class ProgramCache implements AutoCloseable {

    /** Every program is compiled as OpenCL C 1.2, the version NVIDIA's compiler accepts. */
    static final String BASE_OPTIONS = "-cl-std=CL1.2";

    private final DeviceContext context;
    private final Map<String, cl_program> programs = new LinkedHashMap<>();
    private final Map<String, KernelArguments> kernels = new LinkedHashMap<>();

    ProgramCache(DeviceContext context) {
        this.context = context;
    }

    /** The kernel {@code name} of the program built from {@code files} (concatenated in order) with {@code defines}. */
    KernelArguments kernel(List<String> files, String defines, String name) {
        String programKey = String.join("+", files) + " " + defines;
        String kernelKey = programKey + " :: " + name;
        KernelArguments kernel = kernels.get(kernelKey);
        if (kernel == null) {
            cl_program program = programs.get(programKey);
            if (program == null) {
                program = build(files, defines);
                programs.put(programKey, program);
            }
            kernel = new KernelArguments(CL.clCreateKernel(program, name, null));
            kernels.put(kernelKey, kernel);
        }
        return kernel;
    }

    private cl_program build(List<String> files, String defines) {
        String[] sources = files.stream().map(KernelSource::read).toArray(String[]::new);
        cl_program program = CL.clCreateProgramWithSource(context.context(), sources.length, sources, null, null);
        String options = (BASE_OPTIONS + " " + defines).trim();
        cl_device_id device = context.device().id();
        try {
            CL.clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null);
        } catch (CLException e) {
            String log = DeviceQueries.buildLog(program, device);
            CL.clReleaseProgram(program);
            throw new KernelBuildException(String.join(" + ", files), options, context.device().summary(), log, e);
        }
        return program;
    }

    /** Programs and kernels currently held, for tests that check close releases everything. */
    int liveObjects() {
        return programs.size() + kernels.size();
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (KernelArguments kernel : kernels.values()) {
            releaseCollectingFailures(() -> CL.clReleaseKernel(kernel.kernel()), failures);
        }
        kernels.clear();
        for (cl_program program : programs.values()) {
            releaseCollectingFailures(() -> CL.clReleaseProgram(program), failures);
        }
        programs.clear();
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException(failures.size() + " OpenCL objects failed to release");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static void releaseCollectingFailures(Runnable release, List<RuntimeException> failures) {
        try {
            release.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
