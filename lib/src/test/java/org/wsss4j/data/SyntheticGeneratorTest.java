package org.wsss4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticGeneratorTest {
    /** A small set: 30 images at 64 px. */
    static GeneratorConfig small() {
        return GeneratorConfig.defaults().withImageSize(64).withSplits(16, 6, 8, 6);
    }

    @Test
    void sameSeedGivesIdenticalFilesAndPixelsWhateverTheThreadCount(@TempDir Path tmp)
            throws Exception {
        SyntheticGenerator g = new SyntheticGenerator(small(), 7);
        g.generate(tmp.resolve("a"), 1);
        g.generate(tmp.resolve("b"), 3);
        Map<String, String> a = fileHashes(tmp.resolve("a"));
        Map<String, String> b = fileHashes(tmp.resolve("b"));
        assertEquals(30 * 5 + 4 + 3, a.size(), "files: 5 PNGs per image + 4 splits + 3 root files");
        assertEquals(a, b);
        assertEquals(pixelHashes(tmp.resolve("a")), pixelHashes(tmp.resolve("b")));

        // Another seed must give other images (the hash test above could pass on constant output).
        new SyntheticGenerator(small(), 8).generate(tmp.resolve("c"), 2);
        Map<String, String> c = fileHashes(tmp.resolve("c"));
        assertNotEquals(a.get("JPEGImages/syn_000000.png"), c.get("JPEGImages/syn_000000.png"));
        assertEquals(a.get("class_names.txt"), c.get("class_names.txt"));

        // The generator writes masks through IndexedPng.write: a direct write gives the same bytes.
        IndexedPng.write(g.scene(3).classMask(), tmp.resolve("ref.png"));
        assertEquals(sha(Files.readAllBytes(tmp.resolve("ref.png"))),
                a.get("SegmentationClass/syn_000003.png"));
    }

    /**
     * Pins the decoded output of generator {@value GeneratorVersion#VERSION}. If this fails, the
     * generator's output changed: bump GeneratorVersion.VERSION (cached data and checkpoints are
     * keyed by it) and update the hash.
     */
    @Test
    void outputIsPinnedToTheGeneratorVersion() throws Exception {
        assertEquals("synth-12", GeneratorVersion.VERSION);
        GeneratorConfig cfg = GeneratorConfig.defaults().withImageSize(64);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 8; i++) {
            SyntheticScene sc = SyntheticScene.render(cfg, 0, i);
            md.update(sc.image().rgb());
            md.update(sc.classMask().labels());
            md.update(sc.instanceMask().labels());
            md.update(sc.partMask().labels());
        }
        assertEquals("81eb2eb24c0a04556ba03a861abe15fd3cffaa733e51ad43300c987bc65ad102",
                HexFormat.of().formatHex(md.digest()));
    }

    @Test
    void renderingOneImageDoesNotDependOnTheOthers() {
        SyntheticGenerator g = new SyntheticGenerator(small(), 3);
        SyntheticScene late = g.scene(20);
        for (int i = 0; i < 20; i++) {
            g.scene(i);
        }
        assertArrayEquals(late.rgb(), g.scene(20).rgb());
        assertArrayEquals(late.instances(), g.scene(20).instances());
    }

    @Test
    void writesVocLayoutWithConsistentLabelsAndMasks(@TempDir Path root) throws Exception {
        GeneratorConfig cfg = small();
        SyntheticGenerator g = new SyntheticGenerator(cfg, 11);
        SyntheticGenerator.Result r = g.generate(root, 2);
        assertEquals(30, r.images());
        assertEquals(Map.of("train_aug", 16, "train", 6, "val", 8, "test", 6), r.splitSizes());

        List<String> trainAug = lines(root.resolve("ImageSets/Segmentation/train_aug.txt"));
        List<String> train = lines(root.resolve("ImageSets/Segmentation/train.txt"));
        List<String> val = lines(root.resolve("ImageSets/Segmentation/val.txt"));
        List<String> test = lines(root.resolve("ImageSets/Segmentation/test.txt"));
        assertEquals(List.of(16, 6, 8, 6),
                List.of(trainAug.size(), train.size(), val.size(), test.size()));
        assertTrue(trainAug.containsAll(train), "train must be a subset of train_aug");
        assertEquals(new TreeSet<>(train).size(), train.size(), "train has no duplicates");
        Set<String> held = new HashSet<>(val);
        held.addAll(test);
        assertEquals(14, held.size(), "val and test are disjoint");
        held.retainAll(trainAug);
        assertTrue(held.isEmpty(), "val/test must not overlap train_aug");

        assertEquals(SyntheticClasses.CLASS_LIST.names(),
                ClassList.readOrDefault(root, ClassList.VOC).names());
        assertEquals(21, SyntheticClasses.CLASS_LIST.numLabels());

        JsonObject m = JsonParser.parseString(Files.readString(root.resolve("generator.json")))
                .getAsJsonObject();
        assertEquals(GeneratorVersion.VERSION, m.get("version").getAsString());
        assertEquals(11, m.get("seed").getAsLong());
        assertEquals(64, m.getAsJsonObject("config").get("imageSize").getAsInt());
        assertEquals(0.20, m.getAsJsonObject("config").get("partFractionMin").getAsDouble());

        List<String> labelLines = lines(root.resolve("image_labels.txt"));
        assertEquals(30, labelLines.size());
        for (String line : labelLines) {
            String[] f = line.split(" ");
            String id = f[0];
            Set<Integer> listed = new TreeSet<>();
            for (int k = 1; k < f.length; k++) {
                listed.add(Integer.parseInt(f[k]));
            }
            IndexedPng.LabelMap cls = IndexedPng.read(root.resolve("SegmentationClass/" + id + ".png"));
            IndexedPng.LabelMap obj = IndexedPng.read(root.resolve("SegmentationObject/" + id + ".png"));
            assertEquals(64, cls.width());
            assertEquals(64, cls.height());
            Set<Integer> inMask = new TreeSet<>(), instances = new TreeSet<>();
            for (int p = 0; p < cls.labels().length; p++) {
                int c = cls.labels()[p] & 0xFF, o = obj.labels()[p] & 0xFF;
                assertEquals(c == 255, o == 255, id + ": class and object bands differ at " + p);
                assertEquals(c == 0, o == 0, id + ": background differs at " + p);
                if (c != 0 && c != 255) {
                    assertTrue(c <= 20, id + ": label " + c);
                    inMask.add(c);
                    instances.add(o);
                }
            }
            assertEquals(listed, inMask, id + ": image_labels must equal the classes in the mask");
            assertTrue(instances.size() >= 1 && instances.size() <= 3, id + ": " + instances);
            assertEquals(instances.size(), instances.stream().mapToInt(i -> i).max().getAsInt(),
                    id + ": instances numbered 1..n");
            assertBandSeparates(cls, id);
            assertBandSeparates(obj, id);
            assertTrue(Files.exists(root.resolve("JPEGImages/" + id + ".png")));
            assertEquals(64, RgbImage.read(root.resolve("JPEGImages/" + id + ".png")).width());
        }
    }

    /** VOC style: two different labels never touch without a 255 pixel between them. */
    static void assertBandSeparates(IndexedPng.LabelMap m, String id) {
        int bandPixels = 0;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                int a = m.at(x, y);
                bandPixels += a == 255 ? 1 : 0;
                if (a == 255) {
                    continue;
                }
                if (x + 1 < m.width()) {
                    int b = m.at(x + 1, y);
                    assertTrue(b == 255 || b == a, id + ": " + a + "|" + b + " at " + x + "," + y);
                }
                if (y + 1 < m.height()) {
                    int b = m.at(x, y + 1);
                    assertTrue(b == 255 || b == a, id + ": " + a + "/" + b + " at " + x + "," + y);
                }
            }
        }
        assertTrue(bandPixels > 0, id + ": no border band");
    }

    @Test
    void scenesRespectEveryKnobRange() {
        GeneratorConfig cfg = GeneratorConfig.defaults();
        int s = cfg.imageSize();
        int partners = 0, pairedFirst = 0;
        int[] perCount = new int[4];
        for (int i = 0; i < 300; i++) {
            SyntheticScene sc = SyntheticScene.render(cfg, 5, i);
            int n = sc.objects().size();
            assertTrue(n >= 1 && n <= 3, "image " + i + " has " + n + " objects");
            perCount[n]++;
            for (int k = 0; k < n; k++) {
                SyntheticScene.SceneObject o = sc.objects().get(k);
                double f = o.partFraction(), tol = 1.0 / o.area();
                assertTrue(f >= cfg.partFractionMin() - tol && f <= cfg.partFractionMax() + tol,
                        "image " + i + " part fraction " + f);
                int longSide = Math.max(o.width(), o.height());
                assertTrue(longSide >= Math.round(cfg.minObjectSize() * s) - 1
                        && longSide <= Math.round(cfg.maxObjectSize() * s) + 1,
                        "image " + i + " object side " + longSide);
                assertTrue(o.visibleArea() >= (1 - cfg.maxOcclusion()) * o.area() - 1e-9);
                assertTrue(2 * o.visiblePartArea() >= o.partArea());
                if (!o.mayOcclude()) {
                    assertEquals(0, o.covered(), "image " + i + ": non-occluding object " + k);
                }
                if (longSide >= s / 2 && o.visiblePartArea() == o.partArea()) {
                    // methods.md: the part must span >= 2 tokens of 8x8 px and be >= ~10 px across.
                    assertTrue(o.partArea() >= 2 * 64, "image " + i + " part area " + o.partArea());
                    int[] ext = partExtent(sc, k + 1);
                    assertTrue(Math.min(ext[0], ext[1]) >= 10,
                            "image " + i + " part extent " + ext[0] + "x" + ext[1]);
                }
            }
            int hidden = sc.objects().stream().mapToInt(o -> o.area() - o.visibleArea()).sum();
            assertEquals(hidden, sc.objects().stream().mapToInt(o -> o.covered()).sum(),
                    "image " + i + ": every hidden pixel was covered by a later object");
            int first = sc.objects().get(0).label();
            int partner = SyntheticClasses.partner(first, cfg.cooccurPairs());
            if (partner != 0) {
                pairedFirst++;
                partners += sc.objects().stream().anyMatch(o -> o.label() == partner) ? 1 : 0;
            }
        }
        // Every count occurs; co-occurrence near cooccurProb (0.4), well above chance (about
        // 0.05). An object that finds no place is dropped, a partner too: over 3,000 quick
        // images the rate is 0.354 for synth-8 (0.398 for synth-7, whose objects were smaller);
        // these 300 give 0.299.
        assertTrue(perCount[1] > 30 && perCount[2] > 30 && perCount[3] > 30,
                java.util.Arrays.toString(perCount));
        double rate = partners / (double) pairedFirst;
        assertTrue(rate > 0.25 && rate < 0.6, "partner rate " + rate);
    }

    @Test
    void backdropMapSaysWhatTheBackgroundShows(@TempDir Path root) throws Exception {
        GeneratorConfig cfg = GeneratorConfig.defaults().withImageSize(64);
        int[] kinds = new int[4];
        int contextPixels = 0;
        for (int i = 0; i < 60; i++) {
            SyntheticScene s = SyntheticScene.render(cfg, 2, i);
            byte[] b = s.backdropMask().labels();
            for (int p = 0; p < b.length; p++) {
                int code = b[p] & 0xFF;
                assertEquals(s.instances()[p] != 0, code == Backdrop.OBJECT,
                        "image " + i + ": objects are 255, background is not, at " + p);
                if (code == Backdrop.OBJECT) {
                    continue;
                }
                int ctx = Backdrop.contextClass(code);
                if (ctx != 0) {
                    assertEquals(s.context(), ctx, "image " + i + ": only its own context");
                    contextPixels++;
                } else {
                    assertTrue(code <= Backdrop.DECOY, "image " + i + ": code " + code);
                    kinds[code]++;
                }
            }
            // A scene with a context region shows some of it (objects cover at most part).
            if (s.context() != 0) {
                boolean shown = false;
                for (byte v : b) {
                    shown |= (v & 0xFF) == Backdrop.context(s.context());
                }
                assertTrue(shown, "image " + i + ": context " + s.context() + " drawn but hidden");
            }
        }
        for (int k = 0; k <= Backdrop.DECOY; k++) {
            assertTrue(kinds[k] > 0, "kind " + k + " never seen: " + java.util.Arrays.toString(kinds));
        }
        assertTrue(contextPixels > 0, "no context region in 60 images");

        // The generator writes it beside the part masks, and the reader finds it.
        new SyntheticGenerator(small(), 5).generate(root, 1);
        VocDataset ds = VocDataset.open(root, "train");
        IndexedPng.LabelMap written = ds.readBackdrop(0).orElseThrow();
        SyntheticScene again = new SyntheticGenerator(small(), 5).scene(
                Integer.parseInt(ds.id(0).substring(4)));
        assertArrayEquals(again.backdropMask().labels(), written.labels());
        JsonObject m = JsonParser.parseString(Files.readString(root.resolve("generator.json")))
                .getAsJsonObject();
        assertTrue(m.get("extras").toString().contains(SyntheticGenerator.BACKDROP_DIR),
                m.toString());
    }

    @Test
    void failureModeKnobsSwitchTheirEffect() {
        GeneratorConfig base = GeneratorConfig.defaults().withImageSize(64);
        // Context: always for context classes, never by noise.
        GeneratorConfig always = base.withContext(8, 1.0, 0.25, 0.0);
        GeneratorConfig never = base.withContext(8, 0.0, 0.25, 0.0);
        for (int i = 0; i < 100; i++) {
            SyntheticScene a = SyntheticScene.render(always, 1, i);
            int first = a.objects().get(0).label();
            assertEquals(first <= 8 ? first : 0, a.context(), "image " + i);
            assertEquals(0, SyntheticScene.render(never, 1, i).context());
        }
        // No occlusion: every object fully visible.
        GeneratorConfig clear = base.withOcclusion(0, 0);
        for (int i = 0; i < 100; i++) {
            for (SyntheticScene.SceneObject o : SyntheticScene.render(clear, 1, i).objects()) {
                assertEquals(o.area(), o.visibleArea());
            }
        }
        // Asymmetry fully on with a fixed side: the part sits at the class's preferred end.
        GeneratorConfig sided = new GeneratorConfig(64, 10, 2, 2, 2, 1, 3, 0.25, 0.65, 0.2, 0.3,
                5, true, 1.0, 6, 0.3, 0.25, 0.05, 4, 0.4, 6, 2.0, 0.5, 1.0, 0, 0, 1.0, 1.0, 6);
        for (int i = 0; i < 60; i++) {
            SyntheticScene sc = SyntheticScene.render(sided, 1, i);
            for (int k = 0; k < sc.objects().size(); k++) {
                SyntheticScene.SceneObject o = sc.objects().get(k);
                int pref = SyntheticClasses.preferredSide(o.label());
                assertEquals(pref, o.side());
                double partX = centroidX(sc, k + 1, true), bodyX = centroidX(sc, k + 1, false);
                assertTrue(pref < 0 ? partX < bodyX : partX > bodyX,
                        "image " + i + ": part centre " + partX + " body " + bodyX);
            }
        }
        // One object per image stays one object even for paired classes.
        GeneratorConfig single = new GeneratorConfig(64, 10, 2, 2, 2, 1, 1, 0.25, 0.65, 0.2, 0.3,
                5, true, 1.0, 6, 0.3, 0.25, 0.05, 4, 1.0, 6, 2.0, 0.5, 1.0, 0.3, 0.3, 0.6, 0.8, 6);
        for (int i = 0; i < 50; i++) {
            assertEquals(1, SyntheticScene.render(single, 1, i).objects().size());
        }
        // Bodies: class-linked families are fixed per class; free ones vary within a class.
        java.util.Map<Integer, java.util.Set<Integer>> linked = new java.util.HashMap<>();
        java.util.Map<Integer, java.util.Set<Integer>> free = new java.util.HashMap<>();
        GeneratorConfig linkedCfg = base.withBodies(5, true), freeCfg = base.withBodies(5, false);
        for (int i = 0; i < 200; i++) {
            for (SyntheticScene.SceneObject o : SyntheticScene.render(linkedCfg, 1, i).objects()) {
                linked.computeIfAbsent(o.label(), k -> new java.util.HashSet<>()).add(o.family());
            }
            for (SyntheticScene.SceneObject o : SyntheticScene.render(freeCfg, 1, i).objects()) {
                free.computeIfAbsent(o.label(), k -> new java.util.HashSet<>()).add(o.family());
            }
        }
        for (var e : linked.entrySet()) {
            assertEquals(java.util.Set.of(SyntheticClasses.family(e.getKey(), 5)), e.getValue(),
                    "class " + e.getKey());
        }
        assertTrue(free.values().stream().filter(f -> f.size() >= 3).count() >= 15,
                "free bodies: " + free);
        // Distractors: saturated-but-not-part-saturated pixels appear in the background only when
        // switched on (clutter stays <= 90/255, parts >= 230/255, context tints are blended).
        int withD = 0, withoutD = 0;
        for (int i = 0; i < 40; i++) {
            GeneratorConfig noDecoys = base.withDecoyBodies(0); // a body may reach saturation 120
            withD += distractorPixels(SyntheticScene.render(noDecoys.withDistractors(8, 1.0), 1, i));
            withoutD += distractorPixels(SyntheticScene.render(noDecoys.withDistractors(0, 0), 1, i));
        }
        assertEquals(0, withoutD);
        assertTrue(withD > 40 * 20, "distractor pixels " + withD);
        // Decoy bodies: background pixels in a body's saturation band (above the clutter's 90,
        // below the distractors' 120) with distractors and context off appear only with decoys.
        GeneratorConfig plain = base.withDistractors(0, 0).withContext(0, 0, 0, 0);
        int withDecoys = 0, withoutDecoys = 0;
        for (int i = 0; i < 40; i++) {
            withDecoys += bodyBandPixels(SyntheticScene.render(plain.withDecoyBodies(3), 1, i));
            withoutDecoys += bodyBandPixels(SyntheticScene.render(plain.withDecoyBodies(0), 1, i));
        }
        assertTrue(withDecoys > 40 * 60 && withDecoys > 20 * withoutDecoys,
                "decoy-band pixels with " + withDecoys + ", without " + withoutDecoys);
        // Part fraction follows its knob.
        GeneratorConfig big = base.withPartFraction(0.5, 0.5);
        for (int i = 0; i < 20; i++) {
            for (SyntheticScene.SceneObject o : SyntheticScene.render(big, 1, i).objects()) {
                assertEquals(0.5, o.partFraction(), 1.0 / o.area());
            }
        }
    }

    @Test
    void configRejectsBadValuesNamingTheKey() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> GeneratorConfig.defaults().withImageSize(32));
        assertTrue(e.getMessage().contains("imageSize = 32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GeneratorConfig.defaults().withPartFraction(0.4, 0.3));
        assertTrue(e.getMessage().contains("partFractionMin"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GeneratorConfig.defaults().withSplits(10, 11, 1, 1));
        assertTrue(e.getMessage().contains("train = 11"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GeneratorConfig.forProfile(org.wsss4j.runtime.Profile.VOC));
        assertTrue(e.getMessage().contains("'voc'"), e.getMessage());
    }

    @Test
    void worksAtTheSmallestSideAndProfileSizes() {
        for (int side : new int[] {48, 64, 96, 224}) {
            GeneratorConfig cfg = GeneratorConfig.defaults().withImageSize(side);
            for (int i = 0; i < 20; i++) {
                SyntheticScene sc = SyntheticScene.render(cfg, 2, i);
                assertEquals(side * side, sc.rgb().length);
                assertFalse(sc.objects().isEmpty());
                assertTrue(sc.classMask().labels().length == side * side);
            }
        }
        assertEquals(64, GeneratorConfig.forProfile(org.wsss4j.runtime.Profile.SMOKE).imageSize());
        assertEquals(3000, GeneratorConfig.forProfile(org.wsss4j.runtime.Profile.QUICK).trainAug());
    }

    @Test
    void ensureSkipsACompleteSetAndRedoesAnIncompleteOne(@TempDir Path root) throws Exception {
        SyntheticGenerator g = new SyntheticGenerator(
                GeneratorConfig.defaults().withImageSize(48).withSplits(4, 2, 2, 2), 0);
        assertEquals(8, g.ensure(root, 1).images());
        assertEquals(0, g.ensure(root, 1).images());
        Files.delete(root.resolve("generator.json"));
        assertEquals(8, g.ensure(root, 1).images());
        assertEquals(8, new SyntheticGenerator(g.config(), 1).ensure(root, 1).images(),
                "another seed is another set");
    }

    // ---- helpers ----

    /** Background pixels with saturation 115..175 and value >= 165: a distractor's colour. */
    private static int distractorPixels(SyntheticScene sc) {
        byte[] rgb = sc.image().rgb();
        byte[] cls = sc.classMask().labels();
        int count = 0;
        for (int p = 0; p < cls.length; p++) {
            if (cls[p] != 0) {
                continue;
            }
            int r = rgb[3 * p] & 0xff, g = rgb[3 * p + 1] & 0xff, b = rgb[3 * p + 2] & 0xff;
            int max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b));
            int sat = max == 0 ? 0 : (max - min) * 255 / max;
            if (sat >= 115 && sat <= 175 && max >= 165) {
                count++;
            }
        }
        return count;
    }

    /** Background pixels with saturation 100..118: a body colour, not clutter nor background. */
    private static int bodyBandPixels(SyntheticScene sc) {
        byte[] rgb = sc.image().rgb();
        byte[] cls = sc.classMask().labels();
        int count = 0;
        for (int p = 0; p < cls.length; p++) {
            if (cls[p] != 0) {
                continue;
            }
            int r = rgb[3 * p] & 0xff, g = rgb[3 * p + 1] & 0xff, b = rgb[3 * p + 2] & 0xff;
            int max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b));
            int sat = max == 0 ? 0 : (max - min) * 255 / max;
            if (sat >= 100 && sat <= 118) {
                count++;
            }
        }
        return count;
    }

    private static int[] partExtent(SyntheticScene sc, int instance) {
        int s = sc.size(), x0 = s, x1 = -1, y0 = s, y1 = -1;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int p = y * s + x;
                if (sc.instances()[p] == instance && sc.parts()[p] != 0) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return new int[] {x1 - x0 + 1, y1 - y0 + 1};
    }

    private static double centroidX(SyntheticScene sc, int instance, boolean part) {
        int s = sc.size();
        double sum = 0;
        int n = 0;
        for (int p = 0; p < s * s; p++) {
            if (sc.instances()[p] == instance && (sc.parts()[p] != 0) == part) {
                sum += p % s;
                n++;
            }
        }
        return sum / n;
    }

    static List<String> lines(Path f) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    static Map<String, String> fileHashes(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                m.put(root.relativize(p).toString().replace('\\', '/'), sha(Files.readAllBytes(p)));
            }
        }
        return m;
    }

    static Map<String, String> pixelHashes(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root.resolve("JPEGImages"))) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                m.put(p.getFileName().toString(), sha(RgbImage.read(p).rgb()));
            }
        }
        try (Stream<Path> s = Files.walk(root.resolve("SegmentationClass"))) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                m.put("mask/" + p.getFileName(), sha(IndexedPng.read(p).labels()));
            }
        }
        return m;
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
