package org.wsss4j.data.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.ImageLabelsFile;
import org.wsss4j.data.IndexedPng;
import org.wsss4j.data.voc.VocLayout;
import org.wsss4j.data.voc.VocTreeCheck;

/** A tiny COCO 2014 tree in the real file layout and JSON format, converted, read back. */
class CocoConverterTest {
    /** COCO's 80 category ids (1..90 with 10 unused), in ascending order. */
    static final int[] COCO_IDS = {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28, 31, 32,
        33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58,
        59, 60, 61, 62, 63, 64, 65, 67, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88,
        89, 90
    };

    static final String A = "COCO_train2014_000000000001";
    static final String B = "COCO_train2014_000000000002";
    static final String C = "COCO_val2014_000000000003";

    @TempDir Path tmp;

    static JsonArray categories() {
        JsonArray cats = new JsonArray();
        for (int i = 0; i < COCO_IDS.length; i++) {
            JsonObject c = new JsonObject();
            c.addProperty("supercategory", "x");
            c.addProperty("id", COCO_IDS[i]);
            c.addProperty("name", ClassList.COCO.nameOf(i + 1));
            cats.add(c);
        }
        return cats;
    }

    static JsonObject image(long id, String file, int h, int w) {
        JsonObject o = new JsonObject();
        o.addProperty("license", 3);
        o.addProperty("file_name", file);
        o.addProperty("height", h);
        o.addProperty("width", w);
        o.addProperty("id", id);
        return o;
    }

    static JsonObject ann(long id, long imageId, int cat, int crowd, double area, Object segmentation) {
        JsonObject o = new JsonObject();
        o.add("segmentation", (com.google.gson.JsonElement) segmentation);
        o.addProperty("area", area);
        o.addProperty("iscrowd", crowd);
        o.addProperty("image_id", imageId);
        JsonArray bbox = new JsonArray();
        for (int i = 0; i < 4; i++) {
            bbox.add(0);
        }
        o.add("bbox", bbox);
        o.addProperty("category_id", cat);
        o.addProperty("id", id);
        return o;
    }

    static JsonArray polygons(double[]... parts) {
        JsonArray a = new JsonArray();
        for (double[] p : parts) {
            JsonArray q = new JsonArray();
            for (double v : p) {
                q.add(v);
            }
            a.add(q);
        }
        return a;
    }

    static JsonObject rle(Object counts, int h, int w) {
        JsonObject o = new JsonObject();
        if (counts instanceof String s) {
            o.addProperty("counts", s);
        } else {
            JsonArray c = new JsonArray();
            for (long v : (long[]) counts) {
                c.add(v);
            }
            o.add("counts", c);
        }
        JsonArray size = new JsonArray();
        size.add(h);
        size.add(w);
        o.add("size", size);
        return o;
    }

    static void writeInstances(Path file, JsonArray images, JsonArray anns, JsonArray cats) throws IOException {
        // Real files put "categories" last, after "annotations": the reader must not need them first.
        JsonObject root = new JsonObject();
        root.add("info", new JsonObject());
        root.add("images", images);
        root.add("licenses", new JsonArray());
        root.add("annotations", anns);
        root.add("categories", cats);
        Files.createDirectories(file.getParent());
        Files.writeString(file, root.toString(), StandardCharsets.UTF_8);
    }

    static void jpeg(Path file, int w, int h) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(img, "jpg", file.toFile());
    }

    /** train: A (6x8, person polygon, dog compressed RLE, crowd bottle uncompressed RLE), B (no annotations); val: C. */
    Path makeCoco() throws IOException {
        Path coco = tmp.resolve("coco");
        JsonArray trainImages = new JsonArray();
        trainImages.add(image(2, B + ".jpg", 4, 5)); // out of id order on purpose
        trainImages.add(image(1, A + ".jpg", 6, 8));
        JsonArray trainAnns = new JsonArray();
        // person (id 1 -> label 1): x 1..3, y 1..2; area 6
        trainAnns.add(ann(10, 1, 1, 0, 6.0, polygons(new double[] {1, 1, 4, 1, 4, 3, 1, 3})));
        // crowd bottle (id 44 -> label 40), uncompressed counts: all of column x=1 (positions 6..11); area 5
        trainAnns.add(ann(11, 1, 44, 1, 5.0, rle(new long[] {6, 6, 36}, 6, 8)));
        // dog (id 18 -> label 17), compressed counts of [20, 1, 5, 1, 21]: pixels (3,2) and (4,2); area 2.
        // Worked by hand: 20 -> 'd0' (sign bit of 20 forces a 2nd group), 1 -> '1', 5 -> '5',
        // 1-1=0 -> '0', 21-5=16 -> '`0'.
        trainAnns.add(ann(12, 1, 18, 0, 2.0, rle("d0150`0", 6, 8)));
        writeInstances(coco.resolve("annotations/instances_train2014.json"), trainImages, trainAnns, categories());
        jpeg(coco.resolve("train2014/" + A + ".jpg"), 8, 6);
        jpeg(coco.resolve("train2014/" + B + ".jpg"), 5, 4);

        JsonArray valImages = new JsonArray();
        valImages.add(image(3, C + ".jpg", 5, 5));
        JsonArray valAnns = new JsonArray();
        // toothbrush (id 90 -> label 80): two parts, united
        valAnns.add(ann(20, 3, 90, 0, 8.0,
                polygons(new double[] {0, 0, 2, 0, 2, 2, 0, 2}, new double[] {3, 3, 5, 3, 5, 5, 3, 5})));
        writeInstances(coco.resolve("annotations/instances_val2014.json"), valImages, valAnns, categories());
        jpeg(coco.resolve("val2014/" + C + ".jpg"), 5, 5);
        return coco;
    }

    static CocoConverter.Options opts(CocoConverter.CrowdMode mode) {
        return new CocoConverter.Options(mode, List.of("train", "val"), "2014", 2, false);
    }

    @Test
    void convertsPolygonsBothRleFormsAndOverlapsWithKnownPixels() throws IOException {
        Path out = tmp.resolve("out");
        CocoConverter.Summary s = CocoConverter.convert(makeCoco(), out, opts(CocoConverter.CrowdMode.CLASS));
        assertEquals(Map.of("train", 2, "val", 1), s.imagesPerSplit());
        assertEquals(1, s.imagesWithoutAnnotations());
        assertEquals(4, s.annotations());
        assertEquals(1, s.crowdAnnotations());

        IndexedPng.LabelMap a = IndexedPng.read(out.resolve("SegmentationClass/" + A + ".png"));
        assertEquals(8, a.width());
        assertEquals(6, a.height());
        int[][] expect = new int[6][8];
        for (int y = 0; y < 6; y++) {
            expect[y][1] = 40; // crowd column: smallest area (5) after the dog, so on top of the person
        }
        expect[1][2] = 1;
        expect[2][2] = 1;
        expect[1][3] = 1;
        expect[2][3] = 17; // dog (area 2) over person (area 6)
        expect[2][4] = 17;
        assertMap(expect, a);

        IndexedPng.LabelMap b = IndexedPng.read(out.resolve("SegmentationClass/" + B + ".png"));
        assertMap(new int[4][5], b);

        IndexedPng.LabelMap c = IndexedPng.read(out.resolve("SegmentationClass/" + C + ".png"));
        int[][] ec = new int[5][5];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                if ((x <= 1 && y <= 1) || (x >= 3 && y >= 3)) {
                    ec[y][x] = 80;
                }
            }
        }
        assertMap(ec, c);

        assertEquals(List.of(A, B), VocLayout.readList(VocLayout.list(out, "train")));
        assertEquals(List.of(A, B), VocLayout.readList(VocLayout.list(out, "train_aug")));
        assertEquals(List.of(C), VocLayout.readList(VocLayout.list(out, "val")));
        Map<String, int[]> labels = ImageLabelsFile.read(out.resolve("image_labels.txt"), 80);
        assertArrayEquals(new int[] {1, 17, 40}, labels.get(A));
        assertArrayEquals(new int[] {}, labels.get(B));
        assertArrayEquals(new int[] {80}, labels.get(C));
        assertEquals(List.of(A + " 1 17 40", B, C + " 80"),
                Files.readAllLines(out.resolve("image_labels.txt")));
        assertEquals(ClassList.COCO.names(), ClassList.readOrDefault(out, ClassList.VOC).names());
        assertTrue(Files.isSymbolicLink(out.resolve("JPEGImages/" + A + ".jpg")));

        // The converted tree passes the tree check (images decode, sizes agree).
        assertTrue(VocTreeCheck.check(out, List.of("train", "val"), true, 2).ok());
    }

    @Test
    void crowdAsIgnoreIsPaintedBelowSingleObjects() throws IOException {
        Path out = tmp.resolve("out-ignore");
        CocoConverter.convert(makeCoco(), out, opts(CocoConverter.CrowdMode.IGNORE));
        IndexedPng.LabelMap a = IndexedPng.read(out.resolve("SegmentationClass/" + A + ".png"));
        int[][] expect = new int[6][8];
        for (int y = 0; y < 6; y++) {
            expect[y][1] = 255;
        }
        expect[1][1] = 1; // the person keeps its pixels under the crowd region
        expect[2][1] = 1;
        expect[1][2] = 1;
        expect[2][2] = 1;
        expect[1][3] = 1;
        expect[2][3] = 17;
        expect[2][4] = 17;
        assertMap(expect, a);
        // Image labels still name the crowd's class: the image shows bottles.
        assertArrayEquals(new int[] {1, 17, 40},
                ImageLabelsFile.read(out.resolve("image_labels.txt"), 80).get(A));
    }

    @Test
    void categoryNamesMustMatchTheClassList() throws IOException {
        Path coco = makeCoco();
        JsonArray cats = categories();
        cats.get(16).getAsJsonObject().addProperty("name", "hound");
        JsonArray images = new JsonArray();
        images.add(image(3, C + ".jpg", 5, 5));
        writeInstances(coco.resolve("annotations/instances_val2014.json"), images, new JsonArray(), cats);
        IOException e = assertThrows(IOException.class, () -> CocoConverter.convert(coco, tmp.resolve("o"),
                new CocoConverter.Options(CocoConverter.CrowdMode.CLASS, List.of("val"), "2014", 1, false)));
        assertTrue(e.getMessage().contains("'hound'") && e.getMessage().contains("'dog'"), e.getMessage());
    }

    @Test
    void missingImageAndBadRleAreNamed() throws IOException {
        Path coco = makeCoco();
        Files.delete(coco.resolve("val2014/" + C + ".jpg"));
        IOException e = assertThrows(IOException.class, () -> CocoConverter.convert(coco, tmp.resolve("o1"),
                new CocoConverter.Options(CocoConverter.CrowdMode.CLASS, List.of("val"), "2014", 1, false)));
        assertTrue(e.getMessage().contains(C + ".jpg") && e.getMessage().contains("missing"), e.getMessage());

        JsonArray images = new JsonArray();
        images.add(image(1, A + ".jpg", 6, 8));
        JsonArray anns = new JsonArray();
        anns.add(ann(77, 1, 1, 1, 5.0, rle(new long[] {6, 6, 30}, 6, 8))); // sums to 42, not 48
        writeInstances(coco.resolve("annotations/instances_train2014.json"), images, anns, categories());
        e = assertThrows(IOException.class, () -> CocoConverter.convert(coco, tmp.resolve("o2"),
                new CocoConverter.Options(CocoConverter.CrowdMode.CLASS, List.of("train"), "2014", 1, false)));
        assertTrue(e.getMessage().contains("annotation 77") && e.getMessage().contains("sum to 42"), e.getMessage());
    }

    @Test
    void truncatedJsonIsReportedWithItsFile() throws IOException {
        Path f = tmp.resolve("annotations/instances_train2014.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"height\": 2,");
        IOException e = assertThrows(IOException.class, () -> CocoInstances.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        Files.writeString(f, "{\"images\": [{\"id\": 1, \"file_name\": ]}");
        e = assertThrows(IOException.class, () -> CocoInstances.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("$.images[0]"), e.getMessage());
    }

    static void assertMap(int[][] expect, IndexedPng.LabelMap m) {
        assertEquals(expect.length, m.height());
        assertEquals(expect[0].length, m.width());
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                assertEquals(expect[y][x], m.at(x, y), "pixel x=" + x + ", y=" + y);
            }
        }
    }
}
