package org.wsss4j.eval;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.wsss4j.data.Backdrop;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.IndexedPng.LabelMap;

/**
 * Where a thresholded CAM's false positives fall, and where its mass sits — the measurements that
 * explain a gate-2 verdict (partial activation) better than precision and recall alone.
 *
 * <p>Per label-class map (not the argmax label): a pixel above the threshold whose truth is
 * neither the class nor 255 is a false positive of that map. It is binned by its city-block
 * distance in pixels to the nearest pixel of the map's class (≤ 4, 5–8, 9–16, &gt; 16) or, when
 * the truth there is another object, as "other object". A map is <em>flooded</em> when more than
 * half of the image's scored pixels lie above the threshold: such a map has no peak worth the
 * name, and min–max normalisation spread its noise over the image.
 *
 * <p>Region means (optional, where the data set has part masks — the synthetic benchmark's
 * {@code SegmentationPart}): mean map value on the class's discriminative part, on its body
 * within 8 px of the part and farther, on background within 8 px of the object and farther, and
 * on other objects. A partial map is high on the part and low on the rest.
 *
 * <p>What the false positives on background fall on (optional, where the data set has backdrop
 * maps — the synthetic benchmark's {@code SegmentationBackdrop}): plain background, the context
 * region of the map's own class (the designed context bias: the map leaks into the background
 * its class sits on), another class's context region, clutter, part-like distractors, or decoy
 * bodies; each as a share of all the map's false positives, so with "other object" they sum to 1,
 * and as a rate (the share of such pixels above the threshold), which says how strongly maps are
 * drawn to each kind rather than how much of it there is.
 *
 * <p>Everything is also kept per class ({@link #perClass()}): flooding is a property of a few
 * classes in each trained model (results/baseline/README.md), through a PatchCAM map that is low
 * on the class's own part or a class attention that floods by itself; the region means of each
 * map kind per class tell which.
 */
public final class ErrorAnatomy {
    /** False-positive bins, in {@link #fpShares()} order. */
    public static final List<String> FP_BINS =
            List.of("bg <=4px", "bg 5-8px", "bg 9-16px", "bg >16px", "other object");

    /** Regions of {@link #regionMeans()}, in order. */
    public static final List<String> REGIONS = List.of("part", "body <=8px of part",
            "body >8px of part", "bg <=8px of object", "bg >8px of object", "other object");

    /** Backdrop kinds of {@link #backdropShares()}, in order. */
    public static final List<String> BACKDROPS = List.of("plain bg", "own context region",
            "other context region", "clutter", "distractor", "decoy body");

    /** A map is flooded when more than this share of its image lies above the threshold. */
    public static final double FLOODED_SHARE = 0.5;

    private final double threshold;
    private final long[] fp = new long[FP_BINS.size()];
    private long fpInFlooded;
    private int mapCount;
    private int flooded;
    private final double[] regionSum = new double[REGIONS.size()];
    private final long[] regionCount = new long[REGIONS.size()];
    private boolean partsSeen;
    private final long[] fpBackdrop = new long[BACKDROPS.size()];
    private final long[] pixelsBackdrop = new long[BACKDROPS.size()];
    private boolean backdropSeen;
    private final TreeMap<Integer, Tally> classes = new TreeMap<>();

    /** One class's share of the counts above. */
    private static final class Tally {
        int maps;
        int flooded;
        long fp;
        final double[] regionSum = new double[REGIONS.size()];
        final long[] regionCount = new long[REGIONS.size()];
    }

    /**
     * The anatomy of one class's maps.
     *
     * @param label the class
     * @param maps its maps (one per image that holds it)
     * @param floodedShare share of them that are flooded
     * @param fpShare its share of all the false positives
     * @param regionMeans mean map value in each of {@link #REGIONS}; empty without part masks
     */
    public record ClassAnatomy(int label, int maps, double floodedShare, double fpShare,
            Optional<double[]> regionMeans) {}

    /** An empty anatomy at threshold {@code t}; feed it with {@link #add}. */
    public ErrorAnatomy(double threshold) {
        this.threshold = threshold;
    }

    /**
     * Adds one image's maps.
     *
     * @param maps the image's label-class maps in [0, 1]
     * @param gt its truth (255 ignored)
     * @param parts per-pixel class of the discriminative part (0 elsewhere), when known
     */
    public void add(ClassMaps maps, LabelMap gt, Optional<LabelMap> parts) {
        add(maps, gt, parts, Optional.empty());
    }

    /**
     * Adds one image's maps, charging background false positives to what the backdrop shows.
     *
     * @param maps the image's label-class maps in [0, 1]
     * @param gt its truth (255 ignored)
     * @param parts per-pixel class of the discriminative part (0 elsewhere), when known
     * @param backdrop per-pixel {@link Backdrop} code, when known
     */
    public void add(ClassMaps maps, LabelMap gt, Optional<LabelMap> parts,
            Optional<LabelMap> backdrop) {
        int w = maps.width();
        int h = maps.height();
        if (gt.width() != w || gt.height() != h) {
            throw new IllegalArgumentException("image " + maps.id() + ": maps are " + w + "x" + h
                    + " but the mask is " + gt.width() + "x" + gt.height());
        }
        byte[] g = gt.labels();
        byte[] pt = parts.map(LabelMap::labels).orElse(null);
        if (pt != null && pt.length != g.length) {
            throw new IllegalArgumentException("image " + maps.id() + ": part mask size differs");
        }
        partsSeen |= pt != null;
        byte[] bd = backdrop.map(LabelMap::labels).orElse(null);
        if (bd != null && bd.length != g.length) {
            throw new IllegalArgumentException("image " + maps.id() + ": backdrop map size differs");
        }
        backdropSeen |= bd != null;
        int scored = 0;
        for (byte b : g) {
            scored += (b & 0xff) == ClassList.IGNORE ? 0 : 1;
        }
        for (int l = 0; l < maps.classes().length; l++) {
            int c = maps.classes()[l];
            float[] m = maps.maps()[l];
            int[] toObject = distance(w, h, g, c);
            long[] mine = new long[FP_BINS.size()];
            int above = 0;
            for (int q = 0; q < g.length; q++) {
                int v = g[q] & 0xff;
                if (v == ClassList.IGNORE) {
                    continue;
                }
                int kind = v == 0 && bd != null ? backdropKind(bd[q] & 0xff, c, maps.id()) : -1;
                if (kind >= 0) {
                    pixelsBackdrop[kind]++;
                }
                if (m[q] > threshold) {
                    above++;
                    if (v != c) {
                        mine[v != 0 ? 4 : bin(toObject[q])]++;
                        if (kind >= 0) {
                            fpBackdrop[kind]++;
                        }
                    }
                }
            }
            mapCount++;
            Tally tally = classes.computeIfAbsent(c, k -> new Tally());
            tally.maps++;
            long total = 0;
            for (int k = 0; k < mine.length; k++) {
                fp[k] += mine[k];
                total += mine[k];
            }
            tally.fp += total;
            if (scored > 0 && above > FLOODED_SHARE * scored) {
                flooded++;
                tally.flooded++;
                fpInFlooded += total;
            }
            if (pt != null) {
                addRegions(m, g, pt, c, w, h, toObject, tally);
            }
        }
    }

    private void addRegions(float[] m, byte[] g, byte[] pt, int c, int w, int h, int[] toObject,
            Tally tally) {
        int[] toPart = distanceTo(w, h, q -> (pt[q] & 0xff) == c && (g[q] & 0xff) == c);
        for (int q = 0; q < g.length; q++) {
            int v = g[q] & 0xff;
            int r;
            if (v == ClassList.IGNORE) {
                continue;
            } else if (v == c) {
                r = (pt[q] & 0xff) == c ? 0 : toPart[q] <= 8 ? 1 : 2;
            } else if (v == 0) {
                r = toObject[q] <= 8 ? 3 : 4;
            } else {
                r = 5;
            }
            regionSum[r] += m[q];
            regionCount[r]++;
            tally.regionSum[r] += m[q];
            tally.regionCount[r]++;
        }
    }

    private static int backdropKind(int code, int c, String id) {
        int ctx = Backdrop.contextClass(code);
        if (ctx != 0) {
            return ctx == c ? 1 : 2;
        }
        return switch (code) {
            case Backdrop.PLAIN -> 0;
            case Backdrop.CLUTTER -> 3;
            case Backdrop.DISTRACTOR -> 4;
            case Backdrop.DECOY -> 5;
            default -> throw new IllegalArgumentException("image " + id + ": backdrop code "
                    + code + " on a background pixel is not one of Backdrop's");
        };
    }

    private static int bin(int d) {
        return d <= 4 ? 0 : d <= 8 ? 1 : d <= 16 ? 2 : 3;
    }

    private static int[] distance(int w, int h, byte[] g, int c) {
        return distanceTo(w, h, q -> (g[q] & 0xff) == c);
    }

    /** City-block distance of every pixel to the nearest seed pixel (MAX_VALUE when none). */
    static int[] distanceTo(int w, int h, java.util.function.IntPredicate seed) {
        int[] d = new int[w * h];
        Arrays.fill(d, Integer.MAX_VALUE);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int q = 0; q < d.length; q++) {
            if (seed.test(q)) {
                d[q] = 0;
                queue.add(q);
            }
        }
        while (!queue.isEmpty()) {
            int q = queue.poll();
            int x = q % w;
            int y = q / w;
            int next = d[q] + 1;
            if (x > 0 && d[q - 1] > next) {
                d[q - 1] = next;
                queue.add(q - 1);
            }
            if (x < w - 1 && d[q + 1] > next) {
                d[q + 1] = next;
                queue.add(q + 1);
            }
            if (y > 0 && d[q - w] > next) {
                d[q - w] = next;
                queue.add(q - w);
            }
            if (y < h - 1 && d[q + w] > next) {
                d[q + w] = next;
                queue.add(q + w);
            }
        }
        return d;
    }

    public double threshold() {
        return threshold;
    }

    /** False-positive pixels of all maps together. */
    public long falsePositives() {
        long s = 0;
        for (long v : fp) {
            s += v;
        }
        return s;
    }

    /** Share of the false positives in each of {@link #FP_BINS} (NaN without any). */
    public double[] fpShares() {
        double total = falsePositives();
        double[] out = new double[fp.length];
        for (int k = 0; k < fp.length; k++) {
            out[k] = fp[k] / total;
        }
        return out;
    }

    /**
     * Share of all false positives on each of {@link #BACKDROPS} (background pixels only; the
     * rest of the false positives lie on other objects); empty when no backdrop map was given.
     */
    public Optional<double[]> backdropShares() {
        if (!backdropSeen) {
            return Optional.empty();
        }
        double total = falsePositives();
        double[] out = new double[fpBackdrop.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = fpBackdrop[k] / total;
        }
        return Optional.of(out);
    }

    /**
     * Share of the background pixels of each of {@link #BACKDROPS} that the maps put above the
     * threshold (every map counts the background of its own image): set against the plain
     * background's rate, how much more a map leaks into its class's context region, say, than
     * into background in general. Empty when no backdrop map was given; NaN for a kind never seen.
     */
    public Optional<double[]> backdropRates() {
        if (!backdropSeen) {
            return Optional.empty();
        }
        double[] out = new double[fpBackdrop.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = pixelsBackdrop[k] == 0 ? Double.NaN : fpBackdrop[k] / (double) pixelsBackdrop[k];
        }
        return Optional.of(out);
    }

    /** Label-class maps seen. */
    public int maps() {
        return mapCount;
    }

    /** Share of the maps that are flooded (see the class comment). */
    public double floodedShare() {
        return mapCount == 0 ? Double.NaN : flooded / (double) mapCount;
    }

    /** Share of all false positives that belong to flooded maps. */
    public double fpShareOfFlooded() {
        return fpInFlooded / (double) falsePositives();
    }

    /** Mean map value in each of {@link #REGIONS}; empty when no part mask was given. */
    public Optional<double[]> regionMeans() {
        return means(regionSum, regionCount);
    }

    /** The same measurements for each class seen, in label order. */
    public List<ClassAnatomy> perClass() {
        double total = falsePositives();
        return classes.entrySet().stream()
                .map(e -> new ClassAnatomy(e.getKey(), e.getValue().maps,
                        e.getValue().flooded / (double) e.getValue().maps,
                        e.getValue().fp / total,
                        means(e.getValue().regionSum, e.getValue().regionCount)))
                .toList();
    }

    private Optional<double[]> means(double[] sum, long[] count) {
        if (!partsSeen) {
            return Optional.empty();
        }
        double[] out = new double[sum.length];
        for (int r = 0; r < out.length; r++) {
            out[r] = count[r] == 0 ? Double.NaN : sum[r] / count[r];
        }
        return Optional.of(out);
    }
}
