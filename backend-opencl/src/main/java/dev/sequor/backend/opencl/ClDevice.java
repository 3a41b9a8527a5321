package dev.sequor.backend.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.Locale;

/**
 * One OpenCL device as found by {@link DeviceSelector}, with what users need to recognise it.
 *
 * @param index        position in the list of all devices over all platforms (what the property
 *                     {@code sequor.opencl.device} accepts as a number)
 * @param platform     the platform handle
 * @param device       the device handle
 * @param platformName the platform's name, e.g. "Portable Computing Language"
 * @param deviceName   the device's name
 * @param gpu          whether the device reports {@code CL_DEVICE_TYPE_GPU}
 * @param cpu          whether the device reports {@code CL_DEVICE_TYPE_CPU}
 * @param version      the device's OpenCL version string
 * @param computeUnits {@code CL_DEVICE_MAX_COMPUTE_UNITS}
 * @param maxWorkGroup {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}
 */
record ClDevice(int index, cl_platform_id platform, cl_device_id device, String platformName,
                String deviceName, boolean gpu, boolean cpu, String version, int computeUnits,
                long maxWorkGroup) {

    /** @return "GPU", "CPU" or "accelerator" */
    String kind() {
        return gpu ? "GPU" : cpu ? "CPU" : "accelerator";
    }

    /** @return one line for {@code sequor backends} and error messages */
    String describe() {
        return String.format(Locale.ROOT, "#%d %s '%s' on platform '%s' (%s, %d compute units)",
                index, kind(), deviceName, platformName, version, computeUnits);
    }
}
