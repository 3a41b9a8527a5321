package dev.sequor.train;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line plot written as PNG with {@code javax.imageio}: one or more series {@code y(x)} on shared
 * linear axes spanning their finite values, each in its own colour with a legend. NaN points are skipped
 * (the line breaks there).
 */
public final class LinePlot {

    private static final Color[] COLOURS = {new Color(31, 119, 180), new Color(255, 127, 14),
        new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189)};

    private record Series(String name, double[] x, double[] y) {
    }

    private final String xLabel;
    private final String title;
    private final List<Series> series = new ArrayList<>();

    /** @param xLabel the x-axis caption; @param title the caption above the plot */
    public LinePlot(String xLabel, String title) {
        this.xLabel = xLabel;
        this.title = title;
    }

    /** Adds a series of points {@code (x[i], y[i])}; the arrays have one length. @return this */
    public LinePlot series(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("LinePlot: series '" + name + "' has " + x.length + " x and "
                    + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /** @return the plot as PNG bytes, {@code width x height} pixels */
    public byte[] png(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double[] box = bounds();
        int left = 64;
        int right = width - 16;
        int top = 28;
        int bottom = height - 40;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString(title, left, top - 10);
        g.drawString(xLabel, (left + right) / 2, height - 8);
        for (int i = 0; i <= 4; i++) {
            double fy = box[2] + (box[3] - box[2]) * i / 4;
            int py = bottom - (bottom - top) * i / 4;
            g.drawString(String.format(Locale.ROOT, "%.3g", fy), 4, py + 4);
            double fx = box[0] + (box[1] - box[0]) * i / 4;
            int px = left + (right - left) * i / 4;
            g.drawString(String.format(Locale.ROOT, "%.4g", fx), px - 10, bottom + 16);
        }
        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < series.size(); s++) {
            Series sr = series.get(s);
            g.setColor(COLOURS[s % COLOURS.length]);
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < sr.x().length; i++) {
                if (!Double.isFinite(sr.x()[i]) || !Double.isFinite(sr.y()[i])) {
                    pen = false;
                    continue;
                }
                double px = left + (sr.x()[i] - box[0]) / (box[1] - box[0]) * (right - left);
                double py = bottom - (sr.y()[i] - box[2]) / (box[3] - box[2]) * (bottom - top);
                if (pen) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    pen = true;
                }
                g.fillOval((int) px - 2, (int) py - 2, 4, 4);
            }
            g.draw(path);
            g.drawString(sr.name(), right - 110, top + 16 + 14 * s);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@link #png} to {@code file} atomically. */
    public void write(Path file, int width, int height) {
        History.writeAtomically(file, png(width, height));
    }

    /** @return {xMin, xMax, yMin, yMax} over finite points, widened so no range is empty */
    private double[] bounds() {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    b[0] = Math.min(b[0], s.x()[i]);
                    b[1] = Math.max(b[1], s.x()[i]);
                    b[2] = Math.min(b[2], s.y()[i]);
                    b[3] = Math.max(b[3], s.y()[i]);
                }
            }
        }
        for (int i = 0; i < 4; i += 2) {
            if (!(b[i] < b[i + 1])) {
                double mid = Double.isFinite(b[i]) ? b[i] : 0;
                b[i] = mid - 1;
                b[i + 1] = mid + 1;
            }
        }
        return b;
    }
}
