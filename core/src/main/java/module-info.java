/**
 * Sequor core: tensors and autograd, the backend SPI and its discovery, base layers, losses,
 * optimizers, safetensors I/O and decoding, plus the scalar {@code reference} backend, which is the
 * living definition of every op (lowest priority).
 */
module dev.sequor.core {
    exports dev.sequor.spi;
    exports dev.sequor.core;
    exports dev.sequor.nn;
    exports dev.sequor.io;
    exports dev.sequor.decode;
    exports dev.sequor.optim;
    exports dev.sequor.text;

    uses dev.sequor.spi.BackendProvider;
    // model kinds that ModelFile.load can rebuild from a file's configuration
    uses dev.sequor.io.ModelKind;

    // The scalar backend is found like any other, so tests and users select it by name.
    provides dev.sequor.spi.BackendProvider with dev.sequor.reference.ReferenceProvider;
}
