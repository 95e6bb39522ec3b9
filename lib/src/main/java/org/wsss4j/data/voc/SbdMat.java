package org.wsss4j.data.voc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.IndexedPng;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Struct;

/**
 * Reads an SBD class annotation ({@code benchmark_RELEASE/dataset/cls/<id>.mat}): a MATLAB v5 file
 * holding the 1×1 struct {@code GTcls} with fields {@code Segmentation} (H×W uint8, 0 background,
 * 1..20 the VOC classes), {@code Boundaries} (20×1 cell of sparse logical H×W maps) and {@code
 * CategoriesPresent} (the classes present). Only {@code Segmentation} is used: it becomes a label map
 * in VOC's convention. Parsing is mfl-core's.
 */
public final class SbdMat {
    /** Name of the MATLAB variable in every SBD cls file. */
    public static final String VARIABLE = "GTcls";

    private SbdMat() {}

    /** The segmentation of one SBD file; fails naming the file for a bad layout or value. */
    public static IndexedPng.LabelMap readSegmentation(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": SBD annotation not found");
        }
        try (MatFile mat = Mat5.readFromFile(file.toFile())) {
            Struct gt;
            Matrix seg;
            try {
                gt = mat.getStruct(VARIABLE);
                seg = gt.getMatrix("Segmentation");
            } catch (RuntimeException e) {
                throw new IOException(
                        file + ": no " + VARIABLE + ".Segmentation matrix (" + e.getMessage() + ")", e);
            }
            int[] dims = seg.getDimensions();
            if (dims.length != 2 || dims[0] <= 0 || dims[1] <= 0) {
                throw new IOException(
                        file + ": " + VARIABLE + ".Segmentation must be a 2-D matrix, has dimensions "
                                + java.util.Arrays.toString(dims));
            }
            int h = dims[0], w = dims[1];
            byte[] labels = new byte[h * w];
            int max = ClassList.VOC.numClasses();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = seg.getInt(y, x);
                    if ((v < 0 || v > max) && v != ClassList.IGNORE) {
                        throw new IOException(
                                file + ": " + VARIABLE + ".Segmentation has value " + v + " at (x=" + x
                                        + ", y=" + y + "); expected 0.." + max + " or 255");
                    }
                    labels[y * w + x] = (byte) v;
                }
            }
            return new IndexedPng.LabelMap(w, h, labels);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IOException(file + ": unreadable MAT file (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": unreadable MAT file (" + e + ")", e);
        }
    }
}
