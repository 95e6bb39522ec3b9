package org.wsss4j.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsss4j.data.Augment;
import org.wsss4j.data.GeneratorConfig;
import org.wsss4j.data.GeneratorVersion;
import org.wsss4j.data.SyntheticGenerator;
import org.wsss4j.data.TrainBatches;
import org.wsss4j.data.VocDataset;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.runtime.CodeVersion;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Profile;
import org.wsss4j.runtime.WsssPaths;
import org.wsss4j.train.BatchSource;
import org.wsss4j.train.LossHook;
import org.wsss4j.train.StepLog;
import org.wsss4j.train.TrainConfig;
import org.wsss4j.train.TrainLoop;
import org.wsss4j.train.TrainState;

/**
 * The protocol every training ablation follows (methods.md Part 1): one synthetic data set per
 * profile, one shared warm-up checkpoint per profile and seed (W steps of the baseline recipe,
 * cached under a key of model config + train config + profile + generator version + code
 * version), and branches that continue it for F steps over the same batches, differing only in
 * their hooks. Branch results are cached too, keyed by the caller's row key.
 */
public final class Protocol {
    /** Seed of the benchmark's data: the data set is the same for every training seed. */
    public static final long DATA_SEED = 0;

    private final Profile profile;
    private final GeneratorConfig generator;
    private Path dataRoot;

    public Protocol(Profile profile) {
        this(profile, profile.dataset() == Profile.Dataset.SYNTHETIC
                ? GeneratorConfig.forProfile(profile) : null);
    }

    public Protocol(Profile profile, GeneratorConfig generator) {
        this.profile = profile;
        this.generator = profile.dataset() == Profile.Dataset.SYNTHETIC ? generator : null;
    }

    /** The prepared VOC / COCO tree of a real-data profile ($WSSS4J_HOME/data/voc|coco). */
    public static Path realDataRoot(Profile profile) {
        return WsssPaths.data().resolve(profile.dataset() == Profile.Dataset.COCO ? "coco" : "voc");
    }

    /**
     * What a real-data profile still lacks, each with the exact command that fixes it (empty
     * when ready, and always for synthetic profiles).
     */
    public static List<String> missingRealData(Profile profile) {
        List<String> missing = new java.util.ArrayList<>();
        if (profile.dataset() == Profile.Dataset.SYNTHETIC) {
            return missing;
        }
        Path root = realDataRoot(profile);
        if (!Files.isRegularFile(root.resolve("ImageSets/Segmentation/train_aug.txt"))) {
            missing.add(profile.dataset() == Profile.Dataset.COCO
                    ? "COCO 2014 tree " + root + ": run data-scripts/download-coco2014"
                    : "VOC 2012 + SBD tree " + root
                            + ": run data-scripts/download-voc2012 && data-scripts/download-sbd");
        }
        Path w = org.wsss4j.data.weights.DeitWeights.defaultPath();
        if (!Files.isRegularFile(w)) {
            missing.add("ImageNet DeiT-S weights " + w + ": run data-scripts/download-deit-small");
        }
        return missing;
    }

    public Profile profile() {
        return profile;
    }

    public GeneratorConfig generator() {
        return generator;
    }

    /** The benchmark's VOC-layout root, generated on first use (cached, reproducible). */
    public synchronized Path dataRoot() throws IOException {
        if (dataRoot == null && generator == null) {
            List<String> missing = missingRealData(profile);
            if (!missing.isEmpty()) {
                throw new IOException("profile '" + profile.name() + "' cannot start: "
                        + String.join("; ", missing));
            }
            dataRoot = realDataRoot(profile);
        }
        if (dataRoot == null) {
            SyntheticGenerator g = new SyntheticGenerator(generator, DATA_SEED);
            Path root = SyntheticGenerator.defaultRoot(profile, DATA_SEED);
            dataRoot = g.ensure(root, Math.max(1, Runtime.getRuntime().availableProcessors()))
                    .root();
        }
        return dataRoot;
    }

    public VocDataset dataset(String split) throws IOException {
        if (generator == null && split.equals("train_aug")) {
            // SBD's train_aug: image-level labels for all, masks only for some (VOC layout).
            return VocDataset.open(dataRoot(), split, VocDataset.Options.defaults()
                    .withSegmentationDir("SegmentationClassAug").withRequireMasks(false));
        }
        return VocDataset.open(dataRoot(), split);
    }

    public VitConfig modelConfig() throws IOException {
        int classes = dataset("val").classes().numClasses();
        return VitConfig.preset(profile.preset(), profile.imageSize(), classes);
    }

    /**
     * The baseline recipe; the cosine spans warm-up + branch so branches continue one schedule.
     * Stochastic depth is the model preset's rate (DeiT-S 0.1 as in MCTformer, tiny-synth 0).
     */
    public TrainConfig trainConfig(long seed) {
        // The rate does not depend on the image size or class count, so no data set is opened.
        double dropPath = VitConfig.preset(profile.preset(), profile.imageSize(), 1).dropPath();
        return new TrainConfig(seed, profile.totalSteps(), profile.lr(), profile.weightDecay(),
                profile.lrWarmupSteps(), 0.01, 1.0, dropPath,
                Math.max(50, profile.warmupSteps() / 4));
    }

    /** The shared batch order of a seed (every row sees the same batches). */
    public TrainBatches batches(long seed) throws IOException {
        return new TrainBatches(dataset("train_aug"), Augment.forProfile(profile),
                profile.batch(), seed, 2);
    }

    /**
     * The same batch order as {@link #batches(long)} without the prefetch thread: for looking up
     * which images (and which augmentation draws) a step holds, without decoding them.
     */
    public TrainBatches batchOrder(long seed) throws IOException {
        return new TrainBatches(dataset("train_aug"), Augment.forProfile(profile),
                profile.batch(), seed, 0);
    }

    /** Cache key of the warm-up checkpoint of {@code seed}. */
    public String warmupKey(long seed) throws IOException {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("model", modelConfig().toString());
        k.put("train", trainConfig(seed).toString());
        // Seeds are not part of a run: --seeds 0 and the full seed list share checkpoints.
        k.put("profile", profile.withSeeds(List.of(0L)).toString());
        k.put("generator", generator == null ? realDataRoot(profile).toString()
                : GeneratorVersion.VERSION + " " + generator);
        k.put("augment", Augment.forProfile(profile).describe());
        k.put("code", BehaviourFingerprint.training());
        k.put("warmupSteps", profile.warmupSteps());
        return sha(k.toString());
    }

    /** The generator of a synthetic profile, null for real data. */
    public GeneratorConfig generatorOrNull() {
        return generator;
    }

    public Path warmupDir(long seed) throws IOException {
        return WsssPaths.checkpoints()
                .resolve(profile.name() + "-seed" + seed + "-" + warmupKey(seed))
                .resolve("warmup");
    }

    /**
     * Where a shipped copy of the warm-up checkpoint of {@code seed} would be (same folder name as
     * in the cache, so a stale one is never picked up: its key differs).
     */
    public Path shippedWarmup(long seed) throws IOException {
        Path cached = warmupDir(seed);
        return WsssPaths.shippedCheckpoints().resolve(cached.getParent().getFileName())
                .resolve(cached.getFileName());
    }

    /**
     * Copies the warm-up checkpoint of {@code seed} (trained or loaded first) into the shipped
     * folder, so that a fresh checkout starts from it; returns that folder.
     */
    public Path shipWarmup(long seed) throws IOException {
        warmup(seed).close();
        Path to = shippedWarmup(seed);
        copyCheckpoint(warmupDir(seed), to);
        return to;
    }

    /** A trained model and the log of the steps that made it. */
    public record Trained(VisionTransformer model, List<StepLog> history, Path dir)
            implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * The warm-up checkpoint of {@code seed}: loaded when cached, else trained (resuming a
     * partial run of the same key). The caller closes the model.
     */
    public Trained warmup(long seed) throws IOException {
        Path dir = warmupDir(seed);
        Path shipped = shippedWarmup(seed);
        if (!reached(dir, profile.warmupSteps()) && reached(shipped, profile.warmupSteps())) {
            System.out.println("warm-up seed " + seed + ": using the shipped checkpoint "
                    + shipped);
            copyCheckpoint(shipped, dir);
        }
        return train(seed, warmupDir(seed), 0, profile.warmupSteps(), List.of(attentionLog()),
                "warm-up");
    }

    /** The entropy observer every run carries (it changes nothing in training). */
    public AttentionLog attentionLog() {
        return new AttentionLog(Math.max(1, profile.totalSteps() / 40));
    }

    /**
     * A branch row: continues the warm-up of {@code seed} for F steps with {@code hooks}, over
     * the same batches as every other row. {@code rowKey} must change whenever the hooks'
     * configuration does (it names the cache folder).
     */
    public Trained branch(long seed, String rowKey, List<LossHook> hooks) throws IOException {
        return branch(seed, rowKey, hooks, profile.branchSteps());
    }

    /** As {@link #branch(long, String, List)} for a given number of steps (SMAF's control). */
    public Trained branch(long seed, String rowKey, List<LossHook> hooks, int steps)
            throws IOException {
        Path warm = warmupDir(seed);
        // A warm-up that was interrupted leaves a resumable checkpoint: finish it first, or the
        // branch would start from a half-trained model and the cache would stay half-trained.
        if (!reached(warm, profile.warmupSteps())) {
            warmup(seed).close();
        }
        Path dir = warm.resolveSibling(safe(rowKey) + "-" + steps);
        if (!TrainState.exists(dir)) {
            // Start the branch from a copy of the warm-up checkpoint: resume semantics do the rest.
            copyCheckpoint(warm, dir.resolveSibling(dir.getFileName() + ".init"));
        }
        return train(seed, dir, profile.warmupSteps(), profile.warmupSteps() + steps, hooks,
                rowKey);
    }

    private Trained train(long seed, Path dir, long from, long to, List<LossHook> hooks,
            String task) throws IOException {
        TrainConfig tc = trainConfig(seed);
        if (to > tc.totalSteps()) {
            tc = tc.withTotalSteps((int) to);
        }
        VisionTransformer model = new VisionTransformer(modelConfig(), Engines.device(), seed);
        if (generator == null && from == 0) {
            // The papers' protocol starts from ImageNet DeiT-S (every class token from its one).
            org.wsss4j.model.TimmWeights.load(model,
                    org.wsss4j.data.weights.DeitWeights.defaultPath());
        }
        try (TrainLoop loop = new TrainLoop(model, tc, hooks)) {
            long start = from;
            Path init = dir.resolveSibling(dir.getFileName() + ".init");
            if (TrainState.exists(dir)) {
                start = loop.resume(dir);
            } else if (TrainState.exists(init)) {
                start = loop.resume(init);
            }
            if (start < to) {
                try (TrainBatches b = batches(seed)) {
                    BatchSource src = (step, m) -> {
                        TrainBatches.Batch tb = b.get(step, m);
                        return new BatchSource.Batch(tb.images(), tb.labels());
                    };
                    loop.run(src, start, to, dir, task, task + " seed " + seed, profile.batch());
                }
            }
            if (TrainState.exists(dir) && Files.isDirectory(init)) {
                deleteTree(init); // the branch has its own checkpoint now
            }
            return new Trained(model, List.copyOf(loop.history()), dir);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** True when {@code dir} holds a checkpoint that has run at least {@code steps} steps. */
    static boolean reached(Path dir, long steps) throws IOException {
        return TrainState.exists(dir) && TrainState.readMeta(dir).nextStep() >= steps;
    }

    private static void copyCheckpoint(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String f : new String[] {"model.safetensors", "optimizer.safetensors", "state.json"}) {
            Path src = from.resolve(f);
            if (Files.exists(src)) {
                Files.copy(src, to.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String safe(String key) {
        String s = key.replaceAll("[^A-Za-z0-9._=+-]", "_");
        return s.length() > 80 ? s.substring(0, 60) + "-" + sha(key) : s;
    }

    static String sha(String s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
