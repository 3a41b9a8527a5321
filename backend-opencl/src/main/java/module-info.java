/**
 * Sequor's OpenCL backend: every SPI primitive as an OpenCL C kernel, run through JOCL on the
 * device chosen at start-up (property {@code sequor.opencl.device}, else the first GPU, else the
 * first CPU device). It exports nothing; users reach it only through {@code dev.sequor.core.Backends}.
 */
module dev.sequor.backend.opencl {
    requires dev.sequor.core;
    // JOCL 2.0.6 ships without module-info: an automatic module named after its jar.
    requires jocl;

    provides dev.sequor.spi.BackendProvider with dev.sequor.backend.opencl.OpenClProvider;
}
