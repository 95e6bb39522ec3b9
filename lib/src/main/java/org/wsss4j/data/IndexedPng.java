package org.wsss4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.wsss4j.runtime.PngFiles;

/**
 * Label maps as VOC palette PNGs (8-bit indexed, value = class index, 255 = ignore). Reading
 * takes the palette index, not the colour, as VOC's own tools do.
 */
public final class IndexedPng {
    private IndexedPng() {}

    /** A label map: {@code labels[y * width + x]} holds 0..255. */
    public record LabelMap(int width, int height, byte[] labels) {
        public int at(int x, int y) {
            return labels[y * width + x] & 0xFF;
        }
    }

    public static LabelMap read(Path file) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": unreadable label PNG (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new IOException(file + ": not an image ImageIO can decode");
        }
        if (!(img.getColorModel() instanceof IndexColorModel)
                && img.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            throw new IOException(
                    file + ": label PNG must be 8-bit palette or grey (got type " + img.getType()
                            + ")");
        }
        Raster r = img.getRaster();
        if (r.getNumBands() != 1 || r.getSampleModel().getSampleSize(0) > 8) {
            throw new IOException(file + ": label PNG must have one band of <= 8 bits");
        }
        int w = img.getWidth(), h = img.getHeight();
        byte[] out = new byte[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (byte) row[x];
            }
        }
        return new LabelMap(w, h, out);
    }

    /** Writes atomically (temp file + rename), so a killed run leaves no truncated mask. */
    public static void write(LabelMap map, Path file) throws IOException {
        PngFiles.write(toImage(map), file);
    }

    /** A label map as an 8-bit palette image with the VOC colour map. */
    private static BufferedImage toImage(LabelMap map) {
        BufferedImage img = new BufferedImage(map.width(), map.height(),
                BufferedImage.TYPE_BYTE_INDEXED, Palette.colorModel());
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(map.labels(), 0, dst, 0, dst.length);
        return img;
    }
}
