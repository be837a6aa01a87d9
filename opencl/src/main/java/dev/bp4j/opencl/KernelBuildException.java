package dev.bp4j.opencl;

/** An OpenCL program did not build: the message names the files, the options and the device, then the build log. */
public final class KernelBuildException extends RuntimeException {
    private final String buildLog;

    KernelBuildException(String program, String options, String device, String buildLog, Throwable cause) {
        super("building " + program + " with options '" + options + "' failed on " + device + "; build log:\n" + buildLog, cause);
        this.buildLog = buildLog;
    }

    public String buildLog() {
        return buildLog;
    }
}
