package dev.sequor.cli.ui;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws an attention matrix as a PNG: one row per output token, one column per source token, cell
 * darkness the weight (0 white, 1 dark blue), with the tokens as axis labels (source along the top,
 * rotated; output down the left). Runs headless.
 */
public final class HeatMap {

    private static final int CELL = 18;

    private HeatMap() {
    }

    /**
     * Writes the heat map.
     *
     * @param weights      {@code [outputs][sources]}, each in [0, 1]
     * @param sourceLabels one label per column
     * @param outputLabels one label per row
     * @param title        a caption drawn at the bottom
     */
    public static void write(Path file, float[][] weights, List<String> sourceLabels, List<String> outputLabels,
                             String title) {
        System.setProperty("java.awt.headless", "true");
        int rows = weights.length;
        int cols = sourceLabels.size();
        if (outputLabels.size() != rows) {
            throw new IllegalArgumentException("HeatMap: " + rows + " rows of weights but " + outputLabels.size()
                    + " output labels");
        }
        Font font = new Font(Font.MONOSPACED, Font.PLAIN, 13);
        int left = 52;
        int top = 56;
        int width = left + cols * CELL + 16;
        int height = top + rows * CELL + 34;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    float w = c < weights[r].length ? Math.max(0f, Math.min(1f, weights[r][c])) : 0f;
                    g.setColor(shade(w));
                    g.fillRect(left + c * CELL, top + r * CELL, CELL, CELL);
                }
            }
            g.setColor(Color.LIGHT_GRAY);
            g.drawRect(left, top, cols * CELL, rows * CELL);
            g.setColor(Color.BLACK);
            for (int r = 0; r < rows; r++) {
                String s = visible(outputLabels.get(r));
                g.drawString(s, left - 6 - fm.stringWidth(s), top + r * CELL + CELL / 2 + fm.getAscent() / 2 - 1);
            }
            AffineTransform saved = g.getTransform();
            for (int c = 0; c < cols; c++) {
                String s = visible(sourceLabels.get(c));
                int x = left + c * CELL + CELL / 2 + fm.getAscent() / 2 - 1;
                g.setTransform(saved);
                g.rotate(-Math.PI / 2, x, top - 6);
                g.drawString(s, x, top - 6);
            }
            g.setTransform(saved);
            g.setColor(Color.GRAY);
            g.drawString("out\u2193", 4, top - 22);
            g.drawString("src\u2192", 4, top - 6);
            g.setColor(Color.BLACK);
            g.drawString(title, 6, height - 12);
        } finally {
            g.dispose();
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write heat map " + file + ": " + e.getMessage(), e);
        }
    }

    /** White to dark blue. */
    private static Color shade(float w) {
        int r = Math.round(255 - w * (255 - 8));
        int g = Math.round(255 - w * (255 - 48));
        int b = Math.round(255 - w * (255 - 107));
        return new Color(r, g, b);
    }

    private static String visible(String label) {
        return label.equals(" ") ? "\u2423" : label;
    }
}
