package org.wsss4j.runtime;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The kit's one PNG writer (images, label masks, figures): encoding in memory, then one atomic
 * write. ImageIO writing straight to a file issues many small writes; encoding to memory first
 * halves the generator's wall time (14,400 files for the quick profile) and gives the same bytes.
 */
public final class PngFiles {
    private PngFiles() {}

    /** The PNG bytes of {@code img}, from ImageIO's PNG writer with its default settings. */
    public static byte[] encode(BufferedImage img) throws IOException {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("png");
        if (!it.hasNext()) {
            throw new IOException("no PNG writer available");
        }
        ImageWriter w = it.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(
                3 * img.getWidth() * img.getHeight() / 2);
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            w.setOutput(out);
            w.write(img);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    /** Encodes and writes atomically (temp file in the same folder + rename). */
    public static void write(BufferedImage img, Path file) throws IOException {
        byte[] png;
        try {
            png = encode(img);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(file, png);
    }
}
