package org.wsss4j.data;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.wsss4j.runtime.AtomicFiles;
import org.wsss4j.runtime.Profile;
import org.wsss4j.runtime.Seeds;
import org.wsss4j.runtime.WsssPaths;

/**
 * Writes the synthetic WSSS benchmark in PASCAL VOC layout:
 *
 * <pre>
 * JPEGImages/&lt;id&gt;.png            RGB image (lossless PNG)
 * SegmentationClass/&lt;id&gt;.png     palette PNG, class 1..20, 0 background, 255 border band
 * SegmentationObject/&lt;id&gt;.png    palette PNG, instance 1..n, 0 background, 255 border band
 * SegmentationPart/&lt;id&gt;.png      extra: class label on each visible discriminative part
 * SegmentationBackdrop/&lt;id&gt;.png  extra: what the background shows ({@link Backdrop} codes)
 * ImageSets/Segmentation/{train_aug,train,val,test}.txt
 * class_names.txt, image_labels.txt, generator.json (written last: its presence = complete)
 * </pre>
 *
 * <p>Image i is rendered from {@code Seeds.random(seed, i, GENERATOR)} alone, so the files do not
 * depend on the thread count or order. Indices 0..trainAug-1 form train_aug, the next val images
 * val, the rest test; train is a seeded random subset of train_aug.
 */
public final class SyntheticGenerator {
    public static final String MANIFEST = "generator.json";
    public static final String IMAGE_DIR = "JPEGImages";
    public static final String CLASS_DIR = "SegmentationClass";
    public static final String OBJECT_DIR = "SegmentationObject";
    public static final String PART_DIR = "SegmentationPart";
    public static final String BACKDROP_DIR = "SegmentationBackdrop";
    /** The folders beyond VOC's; listed in the manifest so that an older layout is remade. */
    public static final List<String> EXTRA_DIRS = List.of(PART_DIR, BACKDROP_DIR);
    public static final String SPLIT_DIR = "ImageSets/Segmentation";
    /** Split names, in the order they are listed in the manifest. */
    public static final List<String> SPLITS = List.of("train_aug", "train", "val", "test");

    /**
     * What a generation did.
     *
     * @param root output folder
     * @param images images written (0 when {@link #ensure} found the set complete)
     * @param splitSizes ids per split
     * @param seconds wall time
     */
    public record Result(Path root, int images, Map<String, Integer> splitSizes, double seconds) {}

    private final GeneratorConfig cfg;
    private final long seed;

    public SyntheticGenerator(GeneratorConfig cfg, long seed) {
        this.cfg = cfg;
        this.seed = seed;
    }

    public GeneratorConfig config() {
        return cfg;
    }

    public long seed() {
        return seed;
    }

    /** Where the kit keeps a profile's generated set: WSSS4J_HOME/data/synthetic/VERSION/NAME-sSEED. */
    public static Path defaultRoot(Profile profile, long seed) {
        return WsssPaths.data().resolve("synthetic").resolve(GeneratorVersion.VERSION)
                .resolve(profile.name() + "-s" + seed);
    }

    /** File id of image {@code index}. */
    public static String id(int index) {
        return String.format("syn_%06d", index);
    }

    /** Renders one image in memory (what {@link #generate} writes for it). */
    public SyntheticScene scene(int index) {
        if (index < 0 || index >= cfg.totalImages()) {
            throw new IndexOutOfBoundsException(
                    "image index " + index + " outside 0.." + (cfg.totalImages() - 1));
        }
        return SyntheticScene.render(cfg, seed, index);
    }

    /** Image indices of each split, ascending; train is a subset of train_aug. */
    public Map<String, int[]> splits() {
        int[] trainAug = range(0, cfg.trainAug());
        // Partial Fisher-Yates: a seeded random subset, so train is not just the first images.
        int[] perm = trainAug.clone();
        SplittableRandom r = Seeds.random(seed, 0, Seeds.Stream.SPLIT);
        for (int i = 0; i < cfg.train(); i++) {
            int j = i + r.nextInt(perm.length - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] train = Arrays.copyOf(perm, cfg.train());
        Arrays.sort(train);
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("train_aug", trainAug);
        m.put("train", train);
        m.put("val", range(cfg.trainAug(), cfg.trainAug() + cfg.val()));
        m.put("test", range(cfg.trainAug() + cfg.val(), cfg.totalImages()));
        return m;
    }

    private static int[] range(int from, int to) {
        int[] a = new int[to - from];
        for (int i = 0; i < a.length; i++) {
            a[i] = from + i;
        }
        return a;
    }

    /** The manifest written as generator.json: version, seed, full config, class names. */
    public String manifest() {
        var gson = new GsonBuilder().setPrettyPrinting().create();
        JsonObject o = new JsonObject();
        o.addProperty("version", GeneratorVersion.VERSION);
        o.addProperty("seed", seed);
        o.add("config", gson.toJsonTree(cfg));
        o.add("classes", gson.toJsonTree(SyntheticClasses.CLASS_LIST.names()));
        o.add("extras", gson.toJsonTree(EXTRA_DIRS));
        return gson.toJson(o) + "\n";
    }

    /**
     * Generates only when {@code root} lacks a generator.json equal to this one (version, seed
     * and config): the cheap way for notebooks and experiments to make sure the data exist.
     */
    public Result ensure(Path root, int threads) throws IOException {
        Path m = root.resolve(MANIFEST);
        if (Files.isRegularFile(m) && Files.readString(m, StandardCharsets.UTF_8).equals(manifest())) {
            Map<String, Integer> sizes = new LinkedHashMap<>();
            splits().forEach((k, v) -> sizes.put(k, v.length));
            return new Result(root, 0, sizes, 0);
        }
        return generate(root, threads);
    }

    /** Writes every image, mask, split list and the manifest under {@code root}. */
    public Result generate(Path root, int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + " must be >= 1");
        }
        long t0 = System.nanoTime();
        Files.createDirectories(root);
        // An interrupted earlier run must not look complete.
        Files.deleteIfExists(root.resolve(MANIFEST));
        for (String d : List.of(IMAGE_DIR, CLASS_DIR, OBJECT_DIR, PART_DIR, BACKDROP_DIR,
                SPLIT_DIR)) {
            Files.createDirectories(root.resolve(d));
        }
        int total = cfg.totalImages();
        int[][] labels = new int[total][];
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "wsss4j-generate");
            t.setDaemon(true);
            return t;
        });
        try {
            int chunk = Math.max(1, Math.min(64, total / (threads * 8) + 1));
            List<Future<?>> jobs = new ArrayList<>();
            for (int start = 0; start < total; start += chunk) {
                int from = start, to = Math.min(total, start + chunk);
                jobs.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        labels[i] = writeImage(root, i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("generation into " + root + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw new IOException("generation into " + root + " failed: " + c.getMessage(), c);
        } finally {
            pool.shutdownNow();
        }

        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> s : splits().entrySet()) {
            List<String> ids = new ArrayList<>(s.getValue().length);
            for (int i : s.getValue()) {
                ids.add(id(i));
            }
            AtomicFiles.writeLines(root.resolve(SPLIT_DIR).resolve(s.getKey() + ".txt"), ids);
            sizes.put(s.getKey(), s.getValue().length);
        }
        // Ids are zero-padded, so their sorted order is the index order the file has always had.
        SortedMap<String, int[]> byId = new TreeMap<>();
        for (int i = 0; i < total; i++) {
            byId.put(id(i), labels[i]);
        }
        ImageLabelsFile.write(root.resolve(ImageLabelsFile.NAME), byId);
        SyntheticClasses.CLASS_LIST.write(root);
        AtomicFiles.writeString(root.resolve(MANIFEST), manifest());
        return new Result(root, total, sizes, (System.nanoTime() - t0) / 1e9);
    }

    private int[] writeImage(Path root, int index) {
        SyntheticScene s = SyntheticScene.render(cfg, seed, index);
        String name = id(index) + ".png";
        try {
            s.image().writePng(root.resolve(IMAGE_DIR).resolve(name));
            IndexedPng.write(s.classMask(), root.resolve(CLASS_DIR).resolve(name));
            IndexedPng.write(s.instanceMask(), root.resolve(OBJECT_DIR).resolve(name));
            IndexedPng.write(s.partMask(), root.resolve(PART_DIR).resolve(name));
            IndexedPng.write(s.backdropMask(), root.resolve(BACKDROP_DIR).resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s.labels();
    }
}
