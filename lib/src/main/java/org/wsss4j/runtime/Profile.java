package org.wsss4j.runtime;

import java.util.List;
import java.util.Locale;

/**
 * A profile changes scale only (data size, image size, model size, steps), never a method's
 * definition. {@code smoke} keeps tests to seconds, {@code quick} is the 2-core default, {@code
 * full} assumes a GPU, {@code voc}/{@code coco} are the papers' own protocol (methods.md §6).
 *
 * @param dataset SYNTHETIC, VOC or COCO
 * @param imageSize training crop and synthetic image side in pixels
 * @param trainAug number of training images (image-level labels only)
 * @param train size of the scored subset of train_aug
 * @param val held-out images on which every choice is made
 * @param test synthetic only: scored once by the summary
 * @param preset model preset name (see model.VitConfig)
 * @param batch training batch size
 * @param lr peak learning rate (AdamW)
 * @param weightDecay AdamW weight decay
 * @param warmupSteps shared warm-up checkpoint length W (baseline recipe)
 * @param branchSteps steps every ablation row continues for, F
 * @param lrWarmupSteps linear learning-rate warm-up inside the schedule
 * @param seeds seeds for rows that report mean ± std
 * @param camScales CAM inference scales (each + flip)
 */
public record Profile(
        String name,
        Dataset dataset,
        int imageSize,
        int trainAug,
        int train,
        int val,
        int test,
        String preset,
        int batch,
        double lr,
        double weightDecay,
        int warmupSteps,
        int branchSteps,
        int lrWarmupSteps,
        List<Long> seeds,
        List<Double> camScales) {

    public enum Dataset {
        SYNTHETIC,
        VOC,
        COCO
    }

    public static final Profile SMOKE =
            new Profile("smoke", Dataset.SYNTHETIC, 64, 48, 16, 16, 16, "tiny-synth", 8, 2e-3,
                    0.05, 4, 2, 1, List.of(0L, 1L), List.of(1.0));

    /**
     * 2 CPU cores. lr 1e-3: at 2e-3 (methods.md's PyTorch recipe) the kit's first quick run
     * diverged to NaN at step 157 with deep-block attention logits near 80. F = 40: the training
     * notebooks' 15-minute budget on 2 cores (AReAM's 11 branches cost 16.6 s per branch step
     * measured, ACR's 10 two-view branches 14 s); F = 150 took 43.5 and about 36 minutes.
     */
    public static final Profile QUICK =
            new Profile("quick", Dataset.SYNTHETIC, 96, 3000, 300, 300, 300, "tiny-synth", 64,
                    1e-3, 0.05, 600, 40, 60, List.of(0L, 1L, 2L), List.of(1.0));

    public static final Profile FULL =
            new Profile("full", Dataset.SYNTHETIC, 224, 20000, 1000, 1000, 1000, "deit-small",
                    64, 5e-4, 0.05, 6000, 2000, 500, List.of(0L, 1L, 2L), List.of(1.0));

    /** methods.md §5.1/§6: DeiT-S, 224 crop, batch 64, lr 5e-4·64/512, 60 epochs of 10,582. */
    public static final Profile VOC =
            new Profile("voc", Dataset.VOC, 224, 10582, 1464, 1449, 0, "deit-small", 64,
                    5e-4 * 64 / 512, 0.05, 1654, 8270, 827, List.of(0L, 1L, 2L), List.of(1.0));

    /** COCO 2014 train (82,783), same recipe as VOC scaled to the data; val 40,504. */
    public static final Profile COCO =
            new Profile("coco", Dataset.COCO, 224, 82783, 0, 40504, 0, "deit-small", 64,
                    5e-4 * 64 / 512, 0.05, 12935, 64675, 1294, List.of(0L), List.of(1.0));

    public static final List<Profile> ALL = List.of(SMOKE, QUICK, FULL, VOC, COCO);

    /** Looks a profile up by name; fails listing the known ones. */
    public static Profile named(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Profile p : ALL) {
            if (p.name.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "Unknown profile '" + name + "': use one of smoke, quick, full, voc, coco");
    }

    /** {@code WSSS4J_PROFILE}, default quick. */
    public static Profile fromEnvironment() {
        String v = WsssPaths.setting("WSSS4J_PROFILE", "wsss4j.profile");
        return named(v == null ? "quick" : v);
    }

    /** The same profile with other seeds (e.g. one seed for a quick look). */
    public Profile withSeeds(List<Long> s) {
        return new Profile(name, dataset, imageSize, trainAug, train, val, test, preset, batch, lr,
                weightDecay, warmupSteps, branchSteps, lrWarmupSteps, List.copyOf(s), camScales);
    }

    /** Total steps of one branch row: warm-up plus its continuation. */
    public int totalSteps() {
        return warmupSteps + branchSteps;
    }
}
