package dev.bp4j.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

import java.nio.charset.StandardCharsets;

/** The typed reads of clGet*Info that the rest of the module needs. */
final class DeviceQueries {

    private DeviceQueries() {
    }

    static String platformString(cl_platform_id platform, int parameter) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(platform, parameter, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetPlatformInfo(platform, parameter, bytes.length, Pointer.to(bytes), null);
        return text(bytes);
    }

    static String deviceString(cl_device_id device, int parameter) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(device, parameter, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetDeviceInfo(device, parameter, bytes.length, Pointer.to(bytes), null);
        return text(bytes);
    }

    static long deviceLong(cl_device_id device, int parameter) {
        long[] value = new long[1];
        CL.clGetDeviceInfo(device, parameter, Sizeof.cl_ulong, Pointer.to(value), null);
        return value[0];
    }

    static int deviceInt(cl_device_id device, int parameter) {
        int[] value = new int[1];
        CL.clGetDeviceInfo(device, parameter, Sizeof.cl_uint, Pointer.to(value), null);
        return value[0];
    }

    /** size_t parameters: read at the platform's pointer width. */
    static long deviceSize(cl_device_id device, int parameter) {
        long[] value = new long[1];
        CL.clGetDeviceInfo(device, parameter, Sizeof.size_t, Pointer.to(value), null);
        return value[0];
    }

    static String buildLog(cl_program program, cl_device_id device) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(program, device, CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(program, device, CL.CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
        return text(bytes);
    }

    /** OpenCL strings end with a NUL and drivers sometimes pad them with spaces. */
    private static String text(byte[] bytes) {
        int length = bytes.length;
        while (length > 0 && bytes[length - 1] == 0) {
            length--;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8).trim();
    }
}
