package org.wsss4j.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.wsss4j.data.IndexedPng;
import org.wsss4j.data.IndexedPng.LabelMap;

/**
 * Class maps → label maps with a constant background plane (methods.md §6.3): per pixel the
 * argmax over {t, map_1, …, map_k} with t first, so a pixel becomes its best class only when that
 * class's value is strictly greater than t (ties go to background, and between classes to the one
 * listed first, as {@code numpy.argmax}). The comparison is made in float, as the papers' code
 * pads float32 CAMs with t.
 */
public final class PseudoLabels {
    private PseudoLabels() {}

    /** Label map of {@code maps} at background threshold {@code t}. */
    public static LabelMap label(ClassMaps maps, double t) {
        checkThreshold(t);
        float tf = (float) t;
        int n = maps.width() * maps.height();
        byte[] out = new byte[n];
        int[] classes = maps.classes();
        float[][] m = maps.maps();
        for (int i = 0; i < n; i++) {
            float best = tf;
            int label = 0;
            for (int c = 0; c < classes.length; c++) {
                float v = m[c][i];
                if (v > best) {
                    best = v;
                    label = classes[c];
                }
            }
            out[i] = (byte) label;
        }
        return new LabelMap(maps.width(), maps.height(), out);
    }

    /** Writes the label map of {@code maps} at {@code t} as a VOC palette PNG (atomically). */
    public static void write(ClassMaps maps, double t, Path file) throws IOException {
        IndexedPng.write(label(maps, t), file);
    }

    /** Writes {@code dir/<id>.png} for every entry; returns the number written. */
    public static int writeAll(List<ClassMaps> all, double t, Path dir) throws IOException {
        for (ClassMaps m : all) {
            write(m, t, dir.resolve(m.id() + ".png"));
        }
        return all.size();
    }

    static void checkThreshold(double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("background threshold must be in [0, 1], got " + t);
        }
    }
}
