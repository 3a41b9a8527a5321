/**
 * The {@code sequor} command: lists backends, runs the demo, and trains and samples models.
 * It reaches backends only through {@link dev.sequor.spi.BackendProvider} services.
 */
module dev.sequor.cli {
    requires dev.sequor.core;
    requires dev.sequor.nn.recurrent;
    requires dev.sequor.nn.attention;
    requires dev.sequor.train;
    // ImageIO writes the attention heat maps as PNG; java.awt draws their axis labels.
    requires java.desktop;
}
