package dev.bp4j.opencl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.ArrayList;
import java.util.List;

/**
 * What OpenCL offers on this machine, found once per process: every device of every platform,
 * or one line saying what is missing and how to install it. Finding nothing is an answer, not
 * an error, so that {@code auto} can pass over OpenCL cheaply.
 */
final class OpenClPlatforms {

    static final String INSTALL_HINT = "install the OpenCL loader (Debian/Ubuntu: apt-get install ocl-icd-opencl-dev) "
            + "and a driver (pocl-opencl-icd for CPUs, or the NVIDIA driver)";

    /** Either the devices found (possibly none) or, when problem is non-null, why OpenCL cannot be used. */
    record Survey(List<OpenClDevice> devices, String problem) {
        boolean usable() {
            return problem == null;
        }
    }

    private static Survey survey;

    private OpenClPlatforms() {
    }

    static synchronized Survey survey() {
        if (survey == null) {
            survey = enumerate();
        }
        return survey;
    }

    private static Survey enumerate() {
        try {
            CL.setExceptionsEnabled(true);
            int[] platformCount = new int[1];
            CL.clGetPlatformIDs(0, null, platformCount);
            if (platformCount[0] == 0) {
                return missing("no OpenCL platform is installed; " + INSTALL_HINT);
            }
            cl_platform_id[] platforms = new cl_platform_id[platformCount[0]];
            CL.clGetPlatformIDs(platforms.length, platforms, null);
            List<OpenClDevice> devices = new ArrayList<>();
            for (cl_platform_id platform : platforms) {
                addDevices(platform, devices);
            }
            if (devices.isEmpty()) {
                return missing("the OpenCL platforms have no devices; " + INSTALL_HINT);
            }
            return new Survey(List.copyOf(devices), null);
        } catch (LinkageError e) {
            // JOCL's native part could not be loaded or could not find libOpenCL.so.
            return missing("no OpenCL library (" + e.getMessage() + "); " + INSTALL_HINT);
        } catch (CLException e) {
            if (e.getStatus() == CL.CL_PLATFORM_NOT_FOUND_KHR) {
                return missing("no OpenCL platform is installed; " + INSTALL_HINT);
            }
            return missing("OpenCL failed while listing platforms (" + e.getMessage() + "); " + INSTALL_HINT);
        } catch (RuntimeException e) {
            // A broken driver must not break backend discovery: auto then passes over OpenCL.
            return missing("OpenCL failed while listing platforms (" + e + "); " + INSTALL_HINT);
        }
    }

    private static void addDevices(cl_platform_id platform, List<OpenClDevice> devices) {
        String platformName = DeviceQueries.platformString(platform, CL.CL_PLATFORM_NAME);
        int[] deviceCount = new int[1];
        try {
            CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, null, deviceCount);
        } catch (CLException e) {
            if (e.getStatus() == CL.CL_DEVICE_NOT_FOUND) {
                return;
            }
            throw e;
        }
        cl_device_id[] ids = new cl_device_id[deviceCount[0]];
        CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, ids.length, ids, null);
        for (cl_device_id id : ids) {
            long type = DeviceQueries.deviceLong(id, CL.CL_DEVICE_TYPE);
            devices.add(new OpenClDevice(devices.size(), platform, id, platformName,
                    DeviceQueries.deviceString(id, CL.CL_DEVICE_NAME), typeName(type), (type & CL.CL_DEVICE_TYPE_GPU) != 0,
                    DeviceQueries.deviceInt(id, CL.CL_DEVICE_MAX_COMPUTE_UNITS),
                    DeviceQueries.deviceLong(id, CL.CL_DEVICE_GLOBAL_MEM_SIZE),
                    DeviceQueries.deviceLong(id, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                    DeviceQueries.deviceLong(id, CL.CL_DEVICE_LOCAL_MEM_SIZE),
                    DeviceQueries.deviceSize(id, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE),
                    DeviceQueries.deviceString(id, CL.CL_DEVICE_VERSION),
                    DeviceQueries.deviceString(id, CL.CL_DRIVER_VERSION)));
        }
    }

    private static String typeName(long type) {
        if ((type & CL.CL_DEVICE_TYPE_GPU) != 0) {
            return "GPU";
        }
        if ((type & CL.CL_DEVICE_TYPE_CPU) != 0) {
            return "CPU";
        }
        if ((type & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "accelerator";
        }
        return "other";
    }

    private static Survey missing(String problem) {
        return new Survey(List.of(), problem);
    }
}
