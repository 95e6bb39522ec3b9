package org.wsss4j.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.IndexedPng.LabelMap;

/**
 * Per-object recall by object size (SMAF's claim that multi-scale fusion recovers small objects;
 * notebook 04). An object is one instance id of a VOC {@code SegmentationObject} map (1..254;
 * 0 background, 255 border); its class is the {@code SegmentationClass} value on its pixels (the
 * majority, should the two maps disagree on a few pixels); its recall is the fraction of its
 * pixels the prediction labels with that class. Objects are bucketed by area ÷ image area with
 * {@link Buckets} (defaults: small &lt; 2 %, large &gt; 10 %, medium otherwise), and each bucket
 * reports the mean of its objects' recalls (each object weighs the same) and its count.
 */
public final class ObjectSizeRecall {

    /**
     * Size thresholds as fractions of the image area: small when area &lt; {@code smallBelow},
     * large when area &gt; {@code largeAbove}, medium otherwise. Defaults 0.02 and 0.10.
     */
    public record Buckets(double smallBelow, double largeAbove) {
        public static final Buckets DEFAULT = new Buckets(0.02, 0.10);

        public Buckets {
            if (!(smallBelow > 0 && smallBelow <= largeAbove && largeAbove < 1)) {
                throw new IllegalArgumentException(
                        "size buckets need 0 < smallBelow <= largeAbove < 1, got " + smallBelow
                                + ", " + largeAbove);
            }
        }

        public Size of(double areaFraction) {
            return areaFraction < smallBelow
                    ? Size.SMALL
                    : areaFraction > largeAbove ? Size.LARGE : Size.MEDIUM;
        }
    }

    public enum Size {
        SMALL,
        MEDIUM,
        LARGE
    }

    /** One object's figures. */
    public record ObjectRecall(
            String imageId,
            int instance,
            int classValue,
            long area,
            double areaFraction,
            Size size,
            double recall) {}

    /** One bucket: object count and the mean recall of its objects (NaN when empty). */
    public record BucketSummary(Size size, int objects, double meanRecall) {}

    private final Buckets buckets;
    private final List<ObjectRecall> objects = new ArrayList<>();

    public ObjectSizeRecall() {
        this(Buckets.DEFAULT);
    }

    public ObjectSizeRecall(Buckets buckets) {
        this.buckets = buckets;
    }

    public Buckets buckets() {
        return buckets;
    }

    /**
     * Adds the objects of one image and returns them. All three maps must have the same size;
     * fails naming the image otherwise, or when an instance has no object class under it.
     */
    public List<ObjectRecall> add(String id, LabelMap instances, LabelMap classes, LabelMap pred) {
        int w = instances.width(), h = instances.height();
        for (LabelMap m : List.of(classes, pred)) {
            if (m.width() != w || m.height() != h) {
                throw new IllegalArgumentException(
                        id + ": instance map is " + w + "x" + h + " but another map is "
                                + m.width() + "x" + m.height());
            }
        }
        byte[] inst = instances.labels(), cls = classes.labels(), pr = pred.labels();
        // [instance][class value]: pixel counts, to find each instance's class.
        long[][] classCount = new long[256][];
        for (int i = 0; i < inst.length; i++) {
            int o = inst[i] & 0xFF;
            if (o == 0 || o == ClassList.IGNORE) {
                continue;
            }
            if (classCount[o] == null) {
                classCount[o] = new long[256];
            }
            classCount[o][cls[i] & 0xFF]++;
        }
        int[] objClass = new int[256];
        long[] area = new long[256];
        for (int o = 1; o < 255; o++) {
            if (classCount[o] == null) {
                continue;
            }
            int best = -1;
            for (int c = 1; c < 255; c++) {
                area[o] += classCount[o][c];
                if (classCount[o][c] > 0 && (best < 0 || classCount[o][c] > classCount[o][best])) {
                    best = c;
                }
            }
            area[o] += classCount[o][0] + classCount[o][255];
            if (best < 0) {
                throw new IllegalArgumentException(
                        id + ": instance " + o + " lies only on background/ignore pixels of the"
                                + " class map");
            }
            objClass[o] = best;
        }
        long[] hit = new long[256];
        for (int i = 0; i < inst.length; i++) {
            int o = inst[i] & 0xFF;
            if (o != 0 && o != ClassList.IGNORE && (pr[i] & 0xFF) == objClass[o]) {
                hit[o]++;
            }
        }
        List<ObjectRecall> added = new ArrayList<>();
        double imageArea = (double) w * h;
        for (int o = 1; o < 255; o++) {
            if (area[o] == 0) {
                continue;
            }
            double frac = area[o] / imageArea;
            added.add(
                    new ObjectRecall(
                            id,
                            o,
                            objClass[o],
                            area[o],
                            frac,
                            buckets.of(frac),
                            (double) hit[o] / area[o]));
        }
        objects.addAll(added);
        return added;
    }

    /** Every object added so far. */
    public List<ObjectRecall> objects() {
        return Collections.unmodifiableList(objects);
    }

    /** Count and mean recall per bucket; every bucket is present (empty ones with NaN). */
    public Map<Size, BucketSummary> summary() {
        Map<Size, BucketSummary> out = new EnumMap<>(Size.class);
        for (Size s : Size.values()) {
            int n = 0;
            double sum = 0;
            for (ObjectRecall o : objects) {
                if (o.size() == s) {
                    n++;
                    sum += o.recall();
                }
            }
            out.put(s, new BucketSummary(s, n, n > 0 ? sum / n : Double.NaN));
        }
        return out;
    }
}
