package org.wsss4j.data.voc;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.wsss4j.data.IndexedPng;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Struct;

/**
 * A tiny VOC 2012 + SBD pair in the real on-disk formats: VOCdevkit/VOC2012 with JPEGs, palette
 * PNG masks, XML annotations and split lists; benchmark_RELEASE/dataset with MATLAB v5 {@code GTcls}
 * structs written by mfl-core and SBD's split lists.
 *
 * <pre>
 * VOC train: 2007_000032, 2008_000002        VOC val: 2007_000033, 2009_000001
 * SBD train: 2008_000002, 2009_000001, 2010_000001
 * SBD val:   2011_000001, 2007_000033
 * train_aug = (SBD train ∪ SBD val ∪ VOC train) − VOC val
 *           = 2007_000032, 2008_000002, 2010_000001, 2011_000001
 * </pre>
 */
public final class VocFixtures {
    public static final List<String> VOC_TRAIN = List.of("2007_000032", "2008_000002");
    public static final List<String> VOC_VAL = List.of("2007_000033", "2009_000001");
    public static final List<String> SBD_TRAIN = List.of("2008_000002", "2009_000001", "2010_000001");
    public static final List<String> SBD_VAL = List.of("2011_000001", "2007_000033");
    public static final List<String> TRAIN_AUG =
            List.of("2007_000032", "2008_000002", "2010_000001", "2011_000001");

    /** SBD's segmentation of 2010_000001 (h=3, w=4): dog (12) and person (15). */
    public static final int[][] SBD_2010_000001 = {{0, 0, 15, 15}, {0, 12, 12, 0}, {0, 0, 0, 0}};

    /** SBD's segmentation of 2011_000001 (h=2, w=3): aeroplane (1). */
    public static final int[][] SBD_2011_000001 = {{1, 1, 0}, {0, 0, 0}};

    /** SBD's (ignored) version of 2008_000002, which VOC's own mask must override. */
    public static final int[][] SBD_2008_000002 = {{20, 20, 20}, {20, 20, 20}};

    /** VOC's own mask of 2008_000002 (h=2, w=3): cat (8) with a 255 boundary. */
    public static final int[][] VOC_2008_000002 = {{8, 255, 0}, {8, 8, 255}};

    private VocFixtures() {}

    /** Writes both trees under {@code root}; returns {voc2012, sbdDataset}. */
    public static Path[] write(Path root) throws IOException {
        Path voc = root.resolve("VOCdevkit/VOC2012");
        Path sbd = root.resolve("benchmark_RELEASE/dataset");
        lines(voc.resolve("ImageSets/Segmentation/train.txt"), VOC_TRAIN);
        lines(voc.resolve("ImageSets/Segmentation/val.txt"), VOC_VAL);
        lines(sbd.resolve("train.txt"), SBD_TRAIN);
        lines(sbd.resolve("val.txt"), SBD_VAL);

        vocMask(voc, "2007_000032", new int[][] {{1, 1, 0, 0}, {0, 15, 15, 0}, {0, 0, 0, 0}});
        vocMask(voc, "2008_000002", VOC_2008_000002);
        vocMask(voc, "2007_000033", new int[][] {{3, 0}, {0, 0}});
        vocMask(voc, "2009_000001", new int[][] {{18, 18}, {18, 0}});

        sbdMat(sbd, "2008_000002", SBD_2008_000002);
        sbdMat(sbd, "2009_000001", new int[][] {{18, 18}, {0, 0}});
        sbdMat(sbd, "2010_000001", SBD_2010_000001);
        sbdMat(sbd, "2011_000001", SBD_2011_000001);
        sbdMat(sbd, "2007_000033", new int[][] {{3, 3}, {0, 0}});

        xml(voc, "2007_000032", obj("aeroplane", false), obj("person", true));
        xml(voc, "2008_000002", obj("cat", false));
        xml(voc, "2007_000033", obj("bird", false));
        xml(voc, "2009_000001", obj("sofa", false));
        // A person layout annotation: the part name "head" is not a class.
        xml(voc, "2010_000001",
                obj("dog", false),
                "<object><name>person</name><part><name>head</name></part></object>");
        // 2011_000001 has no XML: its labels fall back to the mask.

        jpeg(voc, "2007_000032", 4, 3);
        jpeg(voc, "2008_000002", 3, 2);
        jpeg(voc, "2007_000033", 2, 2);
        jpeg(voc, "2009_000001", 2, 2);
        jpeg(voc, "2010_000001", 4, 3);
        jpeg(voc, "2011_000001", 3, 2);
        return new Path[] {voc, sbd};
    }

    static String obj(String name, boolean difficult) {
        return "<object><name>" + name + "</name><pose>Unspecified</pose><truncated>0</truncated>"
                + "<difficult>" + (difficult ? 1 : 0) + "</difficult>"
                + "<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object>";
    }

    static void xml(Path voc, String id, String... objects) throws IOException {
        StringBuilder sb = new StringBuilder("<annotation><folder>VOC2012</folder><filename>")
                .append(id).append(".jpg</filename><source><database>The VOC2008 Database</database>"
                        + "</source><size><width>4</width><height>3</height><depth>3</depth></size>");
        for (String o : objects) {
            sb.append(o);
        }
        sb.append("</annotation>\n");
        Path f = voc.resolve("Annotations/" + id + ".xml");
        Files.createDirectories(f.getParent());
        Files.writeString(f, sb, StandardCharsets.UTF_8);
    }

    static void lines(Path f, List<String> ids) throws IOException {
        Files.createDirectories(f.getParent());
        Files.write(f, ids, StandardCharsets.UTF_8);
    }

    public static IndexedPng.LabelMap map(int[][] v) {
        int h = v.length, w = v[0].length;
        byte[] b = new byte[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b[y * w + x] = (byte) v[y][x];
            }
        }
        return new IndexedPng.LabelMap(w, h, b);
    }

    static void vocMask(Path voc, String id, int[][] v) throws IOException {
        IndexedPng.write(map(v), voc.resolve("SegmentationClass/" + id + ".png"));
    }

    public static void jpeg(Path voc, String id, int w, int h) throws IOException {
        Path f = voc.resolve("JPEGImages/" + id + ".jpg");
        Files.createDirectories(f.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 40) << 16 | (y * 60) << 8 | 90);
            }
        }
        ImageIO.write(img, "jpg", f.toFile());
    }

    /**
     * An SBD cls file as the release has it: {@code GTcls} 1×1 struct with {@code Segmentation}
     * (uint8 H×W), {@code Boundaries} (20×1 cell of logical H×W — sparse in the release; mfl-core
     * writes only dense arrays) and {@code CategoriesPresent} (column of class ids).
     */
    public static void sbdMat(Path sbd, String id, int[][] v) throws IOException {
        int h = v.length, w = v[0].length;
        Matrix seg = Mat5.newMatrix(new int[] {h, w}, MatlabType.UInt8);
        java.util.TreeSet<Integer> present = new java.util.TreeSet<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                seg.setInt(y, x, v[y][x]);
                if (v[y][x] > 0 && v[y][x] < 255) {
                    present.add(v[y][x]);
                }
            }
        }
        Cell boundaries = Mat5.newCell(20, 1);
        for (int c = 0; c < 20; c++) {
            boundaries.set(c, 0, Mat5.newLogical(h, w));
        }
        Matrix cats = Mat5.newMatrix(present.size(), 1);
        int i = 0;
        for (int c : present) {
            cats.setDouble(i++, 0, c);
        }
        Struct gt = Mat5.newStruct();
        gt.set("Boundaries", boundaries);
        gt.set("Segmentation", seg);
        gt.set("CategoriesPresent", cats);
        Path f = sbd.resolve("cls/" + id + ".mat");
        Files.createDirectories(f.getParent());
        Mat5.writeToFile(Mat5.newMatFile().addArray("GTcls", gt), f.toFile());
    }
}
