package dev.sequor.backend.opencl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lists OpenCL devices and picks the one Sequor runs on: the device named by the system property
 * {@value #PROPERTY} (an index into the list of all devices, or a case-insensitive substring of
 * "platform device"), otherwise the first GPU, otherwise the first CPU device, otherwise the first
 * device of any kind. Probing loads the OpenCL library and queries names only; nothing is compiled.
 */
final class DeviceSelector {

    /** System property choosing the device by index or name substring. */
    static final String PROPERTY = "sequor.opencl.device";

    /**
     * What probing found.
     *
     * @param chosen  the device to use, or null
     * @param all     every device found
     * @param problem why nothing was chosen (null when {@code chosen} is set)
     */
    record Result(ClDevice chosen, List<ClDevice> all, String problem) {
    }

    private DeviceSelector() {
    }

    /** Probes the machine; never throws. */
    static Result probe() {
        List<ClDevice> all;
        try {
            all = listDevices();
        } catch (LinkageError e) {
            // org.jocl.CL.<clinit> fails with UnsatisfiedLinkError when libOpenCL.so.1 is missing.
            return new Result(null, List.of(), "no OpenCL library could be loaded (install an ICD loader such as "
                    + "ocl-icd-libopencl1 and a driver such as pocl-opencl-icd): " + e);
        } catch (CLException e) {
            if (e.getStatus() == CL.CL_PLATFORM_NOT_FOUND_KHR) {
                return new Result(null, List.of(), "no OpenCL platform is installed (the ICD loader found no "
                        + "driver; e.g. install pocl-opencl-icd or a GPU vendor's OpenCL driver)");
            }
            return new Result(null, List.of(), "OpenCL probing failed: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Result(null, List.of(), "OpenCL probing failed: " + e);
        }
        if (all.isEmpty()) {
            return new Result(null, all, "OpenCL platforms were found but they offer no device");
        }
        String wanted = System.getProperty(PROPERTY);
        if (wanted != null && !wanted.isBlank()) {
            ClDevice d = byProperty(all, wanted.trim());
            return d != null ? new Result(d, all, null)
                    : new Result(null, all, "no OpenCL device matches " + PROPERTY + "=" + wanted + "; devices: " + list(all));
        }
        for (ClDevice d : all) {
            if (d.gpu()) {
                return new Result(d, all, null);
            }
        }
        for (ClDevice d : all) {
            if (d.cpu()) {
                return new Result(d, all, null);
            }
        }
        return new Result(all.getFirst(), all, null);
    }

    private static ClDevice byProperty(List<ClDevice> all, String wanted) {
        try {
            int i = Integer.parseInt(wanted);
            return i >= 0 && i < all.size() ? all.get(i) : null;
        } catch (NumberFormatException notANumber) {
            String w = wanted.toLowerCase(Locale.ROOT);
            for (ClDevice d : all) {
                if ((d.platformName() + " " + d.deviceName()).toLowerCase(Locale.ROOT).contains(w)) {
                    return d;
                }
            }
            return null;
        }
    }

    static String list(List<ClDevice> all) {
        StringBuilder sb = new StringBuilder();
        for (ClDevice d : all) {
            sb.append(sb.isEmpty() ? "" : "; ").append(d.describe());
        }
        return sb.toString();
    }

    private static List<ClDevice> listDevices() {
        CL.setExceptionsEnabled(true);
        int[] count = new int[1];
        CL.clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        CL.clGetPlatformIDs(platforms.length, platforms, null);
        List<ClDevice> out = new ArrayList<>();
        for (cl_platform_id p : platforms) {
            String pname = platformString(p, CL.CL_PLATFORM_NAME);
            cl_device_id[] devices;
            try {
                int[] n = new int[1];
                CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, 0, null, n);
                devices = new cl_device_id[n[0]];
                CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, devices.length, devices, null);
            } catch (CLException e) {
                if (e.getStatus() == CL.CL_DEVICE_NOT_FOUND) {
                    continue;   // a platform without devices is not an error for the others
                }
                throw e;
            }
            for (cl_device_id d : devices) {
                long type = deviceLong(d, CL.CL_DEVICE_TYPE);
                out.add(new ClDevice(out.size(), p, d, pname, deviceString(d, CL.CL_DEVICE_NAME),
                        (type & CL.CL_DEVICE_TYPE_GPU) != 0, (type & CL.CL_DEVICE_TYPE_CPU) != 0,
                        deviceString(d, CL.CL_DEVICE_VERSION), (int) deviceInt(d, CL.CL_DEVICE_MAX_COMPUTE_UNITS),
                        deviceSize(d, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE)));
            }
        }
        return out;
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(p, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetPlatformInfo(p, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(d, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetDeviceInfo(d, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    static long deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        CL.clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0] & 0xFFFFFFFFL;
    }

    static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
    }
}
