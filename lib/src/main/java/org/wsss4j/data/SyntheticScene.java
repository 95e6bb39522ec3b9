package org.wsss4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.wsss4j.runtime.Seeds;

/**
 * One image of the synthetic benchmark and its ground truth, rendered from (seed, image index)
 * alone so that any image can be made on its own, in any order, on any thread. Rasterisation uses
 * integer arithmetic only (no antialiasing), so the pixels are identical on every machine.
 *
 * @param size image side in pixels
 * @param rgb packed 0xRRGGBB per pixel, row-major
 * @param instances object index 1..n per pixel (0 background), later objects in front; no border
 *     band
 * @param parts 1 where a pixel belongs to the visible discriminative part of an object, else 0
 * @param objects the placed objects, back to front (instance i + 1 is {@code objects.get(i)})
 * @param context label of the class whose background region was drawn, or 0
 * @param backdrop what each pixel shows beneath the objects, as {@link Backdrop} codes (the
 *     context region, clutter, distractors, decoy bodies or plain background; later layers win)
 */
public record SyntheticScene(
        int size, int[] rgb, byte[] instances, byte[] parts, List<SceneObject> objects,
        int context, byte[] backdrop) {

    /**
     * One object of a scene.
     *
     * @param label class label 1..20
     * @param family body family (see {@link SyntheticClasses#familyName})
     * @param x0 left of the bounding box
     * @param y0 top of the bounding box
     * @param width bounding-box width
     * @param height bounding-box height
     * @param area pixels of the whole object (body + part) before occlusion
     * @param partArea pixels of its discriminative part before occlusion
     * @param visibleArea pixels left visible by the objects in front (before the border band)
     * @param visiblePartArea part pixels left visible
     * @param side where the part sits: -1 left end, +1 right end, 0 on the vertical mid-line
     * @param mayOcclude whether this object was allowed to overlap the ones behind it
     * @param covered pixels of the objects behind that this one hid when it was placed
     */
    public record SceneObject(
            int label,
            int family,
            int x0,
            int y0,
            int width,
            int height,
            int area,
            int partArea,
            int visibleArea,
            int visiblePartArea,
            int side,
            boolean mayOcclude,
            int covered) {

        /** Part share of the unoccluded object. */
        public double partFraction() {
            return partArea / (double) area;
        }
    }

    private static final int PLACEMENT_TRIES = 30;

    /** Renders image {@code index} of the benchmark made with {@code seed}. */
    public static SyntheticScene render(GeneratorConfig cfg, long seed, int index) {
        return new Renderer(cfg, Seeds.random(seed, index, Seeds.Stream.GENERATOR)).render();
    }

    /** Sorted distinct labels of the objects present (the image-level labels). */
    public int[] labels() {
        TreeSet<Integer> s = new TreeSet<>();
        for (SceneObject o : objects) {
            s.add(o.label());
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The RGB samples as an {@link RgbImage}. */
    public RgbImage image() {
        byte[] out = new byte[3 * rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[3 * i] = (byte) (rgb[i] >> 16);
            out[3 * i + 1] = (byte) (rgb[i] >> 8);
            out[3 * i + 2] = (byte) rgb[i];
        }
        return new RgbImage(size, size, out);
    }

    /**
     * Pixels on object borders, as VOC marks them: a 1-pixel band on the object side of every
     * object/background edge and on the hidden object's side of every object/object edge (4-
     * neighbourhood; the image frame is no border). Every two 4-adjacent pixels with different
     * instance values thus have at least one band pixel between them.
     */
    public boolean[] borderBand() {
        int n = size;
        boolean[] band = new boolean[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int p = y * n + x, a = instances[p];
                if (a == 0) {
                    continue;
                }
                band[p] = edge(a, x - 1, y) || edge(a, x + 1, y) || edge(a, x, y - 1)
                        || edge(a, x, y + 1);
            }
        }
        return band;
    }

    private boolean edge(int a, int x, int y) {
        if (x < 0 || y < 0 || x >= size || y >= size) {
            return false;
        }
        int b = instances[y * size + x];
        return b != a && (b == 0 || b > a);
    }

    /** VOC SegmentationClass: class label per pixel, 0 background, 255 on the border band. */
    public IndexedPng.LabelMap classMask() {
        boolean[] band = borderBand();
        byte[] m = new byte[size * size];
        for (int p = 0; p < m.length; p++) {
            int inst = instances[p];
            m[p] = band[p] ? (byte) ClassList.IGNORE
                    : inst == 0 ? 0 : (byte) objects.get(inst - 1).label();
        }
        return new IndexedPng.LabelMap(size, size, m);
    }

    /** VOC SegmentationObject: instance 1..n per pixel, 0 background, 255 on the border band. */
    public IndexedPng.LabelMap instanceMask() {
        boolean[] band = borderBand();
        byte[] m = new byte[size * size];
        for (int p = 0; p < m.length; p++) {
            m[p] = band[p] ? (byte) ClassList.IGNORE : instances[p];
        }
        return new IndexedPng.LabelMap(size, size, m);
    }

    /** Class label on visible part pixels, 0 elsewhere (no band): where a partial CAM should fire. */
    public IndexedPng.LabelMap partMask() {
        byte[] m = new byte[size * size];
        for (int p = 0; p < m.length; p++) {
            m[p] = parts[p] != 0 ? (byte) objects.get(instances[p] - 1).label() : 0;
        }
        return new IndexedPng.LabelMap(size, size, m);
    }

    /**
     * {@link Backdrop} codes: 255 on object pixels (border band included), else what the
     * background shows there: which of the designed distractions a false positive falls on.
     */
    public IndexedPng.LabelMap backdropMask() {
        byte[] m = new byte[size * size];
        for (int p = 0; p < m.length; p++) {
            m[p] = instances[p] != 0 ? (byte) Backdrop.OBJECT : backdrop[p];
        }
        return new IndexedPng.LabelMap(size, size, m);
    }

    /** All drawing for one image; the order of random draws is part of the generator version. */
    private static final class Renderer {
        private final GeneratorConfig cfg;
        private final SplittableRandom rnd;
        private final int n;
        private final int[] rgb;
        private final byte[] inst;
        private final byte[] part;
        private final byte[] backdrop; // Backdrop codes; drawing records, never draws randoms
        // Half period of striped parts and striped distractors: 2 px at 96 (1 px at 64). A period
        // of 4 px puts two whole periods in every 8-px token, so each token of a striped part
        // shows the same bright/dark mix whatever its phase (synth-12; synth-11's 6-px period
        // gave 3 to 5 bright rows of 8, and striped classes' PatchCAM came out lower on their
        // own parts than discs').
        private final int stripe;
        private final List<SceneObject> placed = new ArrayList<>();
        private final List<int[]> visible = new ArrayList<>(); // {visibleArea, visiblePartArea}

        Renderer(GeneratorConfig cfg, SplittableRandom rnd) {
            this.cfg = cfg;
            this.rnd = rnd;
            this.n = cfg.imageSize();
            this.rgb = new int[n * n];
            this.inst = new byte[n * n];
            this.part = new byte[n * n];
            this.backdrop = new byte[n * n];
            this.stripe = Math.max(1, n / 48);
        }

        SyntheticScene render() {
            drawBackground();
            int[] labels = drawClasses();
            int context = drawContextChoice(labels[0]);
            if (context != 0) {
                drawContext(context);
            }
            drawClutter();
            drawDistractors(labels);
            drawDecoyBodies();
            for (int label : labels) {
                placeObject(label);
            }
            addNoise();
            List<SceneObject> objects = new ArrayList<>(placed.size());
            for (int i = 0; i < placed.size(); i++) {
                SceneObject o = placed.get(i);
                int[] v = visible.get(i);
                objects.add(new SceneObject(o.label(), o.family(), o.x0(), o.y0(), o.width(),
                        o.height(), o.area(), o.partArea(), v[0], v[1], o.side(),
                        o.mayOcclude(), o.covered()));
            }
            return new SyntheticScene(n, rgb, inst, part, List.copyOf(objects), context,
                    backdrop);
        }

        private boolean chance(double p) {
            return rnd.nextDouble() < p;
        }

        private int between(int lo, int hiInclusive) {
            return lo + rnd.nextInt(hiInclusive - lo + 1);
        }

        // ---- background, context, clutter ----

        private int backgroundTop;
        private int backgroundBottom;

        private void drawBackground() {
            int hue = rnd.nextInt(360);
            int top = Colors.hsv(hue, between(0, 45), between(70, 220));
            int bottom = Colors.hsv((hue + between(-30, 30) + 360) % 360, between(0, 45),
                    between(70, 220));
            backgroundTop = top;
            backgroundBottom = bottom;
            for (int y = 0; y < n; y++) {
                int c = Colors.mix(top, bottom, y * 256 / n);
                Arrays.fill(rgb, y * n, (y + 1) * n, c);
            }
        }

        private int[] drawClasses() {
            int count = between(cfg.minObjects(), cfg.maxObjects());
            int c = GeneratorConfig.NUM_CLASSES;
            List<Integer> labels = new ArrayList<>();
            labels.add(1 + rnd.nextInt(c));
            // A paired class brings its partner with cooccurProb, even into a 1-object image
            // (as long as maxObjects allows two).
            int partner = SyntheticClasses.partner(labels.get(0), cfg.cooccurPairs());
            boolean bring = partner != 0 && cfg.maxObjects() >= 2 && chance(cfg.cooccurProb());
            if (bring) {
                labels.add(partner);
                count = Math.max(count, 2);
            }
            while (labels.size() < count) {
                labels.add(1 + rnd.nextInt(c));
            }
            return labels.stream().mapToInt(Integer::intValue).toArray();
        }

        private int drawContextChoice(int firstLabel) {
            boolean own = SyntheticClasses.hasContext(firstLabel, cfg.contextClasses())
                    && chance(cfg.contextProb());
            if (own) {
                return firstLabel;
            }
            if (cfg.contextClasses() > 0 && chance(cfg.contextNoise())) {
                return 1 + rnd.nextInt(cfg.contextClasses());
            }
            return 0;
        }

        private void drawContext(int label) {
            int alpha = (int) (cfg.contextStrength() * 256);
            // Grey, not a hue (synth-11): a tinted band in a hue near the part hues taught some
            // classes' PatchCAM heads to veto their own part. The saturation is still drawn so
            // that every later draw, hence every scene, stays as it was.
            between(120, 160);
            int grey = between(120, 200);
            int tint = Colors.rgb(grey, grey, grey);
            int region = SyntheticClasses.contextRegion(label);
            int cut = n * between(40, 60) / 100;
            int y0 = region == 1 ? 0 : region == 0 ? cut : 0;
            int y1 = region == 1 ? cut : n;
            boolean lines = SyntheticClasses.contextLines(label);
            int period = Math.max(6, n / 12);
            for (int y = y0; y < y1; y++) {
                for (int x = 0; x < n; x++) {
                    int p = y * n + x;
                    int c = Colors.mix(rgb[p], tint, alpha);
                    // Wavy lines: a triangle wave in x shifts the line rows.
                    int wave = Math.abs((x % period) - period / 2) / 2;
                    if (lines && (y + wave) % period == 0) {
                        c = Colors.shade(c, -alpha / 4);
                    }
                    rgb[p] = c;
                    backdrop[p] = (byte) Backdrop.context(label);
                }
            }
        }

        private void drawClutter() {
            double expected = cfg.clutterDensity() * n * n / (96.0 * 96.0);
            int count = (int) (rnd.nextDouble() * (2 * expected + 1));
            for (int i = 0; i < count; i++) {
                int w = Math.max(2, n * between(3, 12) / 100);
                int h = Math.max(2, n * between(3, 12) / 100);
                int x0 = rnd.nextInt(n - w + 1), y0 = rnd.nextInt(n - h + 1);
                int c1 = Colors.hsv(rnd.nextInt(360), between(0, 90), between(40, 230));
                int c2 = Colors.shade(c1, between(-60, 60));
                int kind = rnd.nextInt(3); // 0 rectangle, 1 ellipse, 2 thin bar
                int texture = rnd.nextInt(3); // 0 flat, 1 checker, 2 stripes
                int period = between(2, 4);
                if (kind == 2) {
                    if (w > h) {
                        h = Math.max(1, h / 3);
                    } else {
                        w = Math.max(1, w / 3);
                    }
                }
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if (kind == 1 && !Shapes.inEllipse(2 * x + 1 - w, 2 * y + 1 - h, w, h)) {
                            continue;
                        }
                        boolean alt = texture == 1 ? ((x / period + y / period) & 1) == 1
                                : texture == 2 && (y / period & 1) == 1;
                        rgb[(y0 + y) * n + x0 + x] = alt ? c2 : c1;
                        backdrop[(y0 + y) * n + x0 + x] = Backdrop.CLUTTER;
                    }
                }
            }
        }

        /**
         * Part-like distractors: a disc or striped square in a part hue but at a saturation
         * between the clutter's (&le; 90) and the parts' (&ge; 230), part-sized, in the
         * background. Half take the hue of a class present, so that class's map meets its
         * colour off the object: the classifier must use saturation and shape, and a map that
         * is thresholded too low picks them up as false positives.
         */
        private void drawDistractors(int[] labels) {
            double expected = cfg.distractorDensity() * n * n / (96.0 * 96.0);
            int count = (int) (rnd.nextDouble() * (2 * expected + 1));
            for (int i = 0; i < count; i++) {
                int like = chance(cfg.distractorClassProb())
                        ? labels[rnd.nextInt(labels.length)]
                        : 1 + rnd.nextInt(GeneratorConfig.NUM_CLASSES);
                int hue = (SyntheticClasses.partHue(like) + between(-5, 5) + 360) % 360;
                int c = Colors.hsv(hue, between(120, 170), between(170, 235));
                int dark = Colors.hsv(hue, between(120, 170), between(70, 100));
                boolean striped = rnd.nextBoolean();
                int side = Math.max(4, n * between(6, 10) / 100);
                int x0 = rnd.nextInt(n - side + 1), y0 = rnd.nextInt(n - side + 1);
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        if (!striped && !Shapes.inEllipse(2 * x + 1 - side, 2 * y + 1 - side,
                                side, side)) {
                            continue;
                        }
                        rgb[(y0 + y) * n + x0 + x] = striped && (y / stripe & 1) == 1 ? dark : c;
                        backdrop[(y0 + y) * n + x0 + x] = Backdrop.DISTRACTOR;
                    }
                }
            }
        }

        // ---- objects ----

        private void placeObject(int label) {
            int family = cfg.classLinkedBodies()
                    ? SyntheticClasses.family(label, cfg.bodyFamilies())
                    : rnd.nextInt(cfg.bodyFamilies());
            int[] wh = objectSize();
            int w = wh[0], h = wh[1];
            boolean[] body = Shapes.body(family, w, h, rnd);
            int area = 0;
            for (boolean b : body) {
                area += b ? 1 : 0;
            }
            double f = cfg.partFractionMin()
                    + rnd.nextDouble() * (cfg.partFractionMax() - cfg.partFractionMin());
            int target = Math.max(1, (int) StrictMath.round(f * area));
            int side = 0;
            if (chance(cfg.asymmetricProb())) {
                int pref = SyntheticClasses.preferredSide(label);
                side = chance(cfg.sideBias()) ? pref : -pref;
            }
            boolean[] partMask = Shapes.part(body, w, h, target, side,
                    SyntheticClasses.striped(label), rnd);
            boolean mayOcclude = chance(cfg.occlusionProb());

            int[] pos = findPosition(body, partMask, w, h, area, mayOcclude);
            if (pos == null) {
                return; // no room: the image simply has fewer objects
            }
            int x0 = pos[0], y0 = pos[1];
            int id = placed.size() + 1;
            int partArea = 0, covered = 0;
            for (boolean b : partMask) {
                partArea += b ? 1 : 0;
            }
            // Update the visible counts of the objects now hidden behind this one.
            for (int ly = 0; ly < h; ly++) {
                for (int lx = 0; lx < w; lx++) {
                    int l = ly * w + lx;
                    if (!body[l]) {
                        continue;
                    }
                    int p = (y0 + ly) * n + x0 + lx;
                    int under = inst[p];
                    if (under != 0) {
                        covered++;
                        visible.get(under - 1)[0]--;
                        if (part[p] != 0) {
                            visible.get(under - 1)[1]--;
                        }
                    }
                    inst[p] = (byte) id;
                    part[p] = (byte) (partMask[l] ? 1 : 0);
                }
            }
            placed.add(new SceneObject(label, family, x0, y0, w, h, area, partArea, area,
                    partArea, side, mayOcclude, covered));
            visible.add(new int[] {area, partArea});
            paintObject(label, family, body, partMask, x0, y0, w, h);
        }

        /** Width and height of an object's bounding box: log-uniform longer side, 70-100 % short. */
        private int[] objectSize() {
            double u = rnd.nextDouble();
            double ratio = cfg.maxObjectSize() / cfg.minObjectSize();
            // Log-uniform size: as many small as large objects per octave (StrictMath: same
            // result on every JVM).
            int longSide = (int) StrictMath.round(n * cfg.minObjectSize() * StrictMath.pow(ratio, u));
            longSide = Math.max(8, Math.min(n, longSide));
            int shortSide = Math.max(8, longSide * between(70, 100) / 100);
            boolean wide = rnd.nextBoolean();
            return wide ? new int[] {longSide, shortSide} : new int[] {shortSide, longSide};
        }

        /**
         * Decoy bodies: bodies drawn exactly as an object's (family, size, colour, texture) but
         * without a part, in the background, before the objects (which may cover them). Real
         * scenes are full of object-like things of no labelled class; here they make a body no
         * evidence of an object, so a classifier's map has reason to light up the part only.
         */
        private void drawDecoyBodies() {
            int count = (int) (rnd.nextDouble() * (2 * cfg.decoyBodies() + 1));
            for (int i = 0; i < count; i++) {
                int family = rnd.nextInt(cfg.bodyFamilies());
                int[] wh = objectSize();
                int w = wh[0], h = wh[1];
                boolean[] body = Shapes.body(family, w, h, rnd);
                int x0 = rnd.nextInt(n - w + 1), y0 = rnd.nextInt(n - h + 1);
                paintBody(family, body, x0, y0, w, h);
            }
        }

        /**
         * Random positions until one keeps every object behind at least (1 - maxOcclusion) of
         * its area and half of its part visible (or, for a non-occluding object, overlaps
         * nothing); null after {@value #PLACEMENT_TRIES} tries.
         */
        private int[] findPosition(
                boolean[] body, boolean[] partMask, int w, int h, int area, boolean mayOcclude) {
            int[] hidden = new int[placed.size() + 1];
            int[] hiddenPart = new int[placed.size() + 1];
            for (int t = 0; t < PLACEMENT_TRIES; t++) {
                int x0 = rnd.nextInt(n - w + 1), y0 = rnd.nextInt(n - h + 1);
                Arrays.fill(hidden, 0);
                Arrays.fill(hiddenPart, 0);
                boolean ok = true;
                for (int ly = 0; ly < h && ok; ly++) {
                    for (int lx = 0; lx < w; lx++) {
                        if (!body[ly * w + lx]) {
                            continue;
                        }
                        int p = (y0 + ly) * n + x0 + lx;
                        int under = inst[p];
                        if (under != 0) {
                            if (!mayOcclude) {
                                ok = false;
                                break;
                            }
                            hidden[under]++;
                            if (part[p] != 0) {
                                hiddenPart[under]++;
                            }
                        }
                    }
                }
                for (int j = 1; ok && j <= placed.size(); j++) {
                    SceneObject o = placed.get(j - 1);
                    int[] v = visible.get(j - 1);
                    ok = v[0] - hidden[j] >= (1 - cfg.maxOcclusion()) * o.area()
                            && 2 * (v[1] - hiddenPart[j]) >= o.partArea();
                }
                if (ok) {
                    return new int[] {x0, y0};
                }
            }
            return null;
        }

        private void paintObject(
                int label, int family, boolean[] body, boolean[] partMask, int x0, int y0,
                int w, int h) {
            int bodyColor = bodyColor(y0, h);
            int hue = (SyntheticClasses.partHue(label) + between(-5, 5) + 360) % 360;
            int partColor = Colors.hsv(hue, between(230, 255), between(215, 255));
            int dark = Colors.hsv(hue, 255, between(70, 100));
            int grid = Math.max(4, n / 20);
            for (int ly = 0; ly < h; ly++) {
                for (int lx = 0; lx < w; lx++) {
                    int l = ly * w + lx;
                    if (!body[l]) {
                        continue;
                    }
                    int c;
                    if (partMask[l]) {
                        boolean darkRow = SyntheticClasses.striped(label) && (ly / stripe & 1) == 1;
                        c = darkRow ? dark : partColor;
                    } else {
                        c = Shapes.bodyTexture(family, bodyColor, lx, ly, w, h, grid, rnd);
                    }
                    rgb[(y0 + ly) * n + x0 + lx] = c;
                }
            }
        }

        /** A body's colour: independent of the class, so only the part identifies it. */
        private int bodyColor(int y0, int h) {
            int c = Colors.hsv(rnd.nextInt(360), between(55, 120), between(90, 200));
            // Low contrast: pull the body towards the background gradient behind its centre, so
            // only its texture and outline set it apart (the part stays saturated).
            int behind = Colors.mix(backgroundTop, backgroundBottom, (y0 + h / 2) * 256 / n);
            return Colors.mix(behind, c, (int) StrictMath.round(256 * cfg.bodyContrast()));
        }

        /** Paints a partless body (a decoy) with the texture an object's body of its family has. */
        private void paintBody(int family, boolean[] body, int x0, int y0, int w, int h) {
            int color = bodyColor(y0, h);
            int grid = Math.max(4, n / 20);
            for (int ly = 0; ly < h; ly++) {
                for (int lx = 0; lx < w; lx++) {
                    if (body[ly * w + lx]) {
                        rgb[(y0 + ly) * n + x0 + lx] =
                                Shapes.bodyTexture(family, color, lx, ly, w, h, grid, rnd);
                        backdrop[(y0 + ly) * n + x0 + lx] = Backdrop.DECOY;
                    }
                }
            }
        }

        private void addNoise() {
            int a = cfg.pixelNoise();
            if (a == 0) {
                return;
            }
            for (int p = 0; p < rgb.length; p++) {
                rgb[p] = Colors.shade(rgb[p], rnd.nextInt(2 * a + 1) - a);
            }
        }
    }
}
