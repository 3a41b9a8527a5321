/**
 * The {@code sequor} command: lists backends, runs the demo, and trains and samples models.
 * It reaches backends only through {@link dev.sequor.spi.BackendProvider} services.
 */
module dev.sequor.cli {
    requires dev.sequor.core;
    // ImageIO writes the attention heat maps as PNG.
    requires java.desktop;
}
