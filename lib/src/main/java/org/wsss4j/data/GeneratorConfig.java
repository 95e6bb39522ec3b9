package org.wsss4j.data;

import org.wsss4j.runtime.Profile;

/**
 * Every knob of the synthetic benchmark ({@link SyntheticGenerator}). Each designed failure mode
 * of weakly-supervised segmentation has its own knob; {@code data-scripts/README-synthetic.md}
 * says what each one does, its default and why. Sizes are fractions of the image side so that one
 * configuration works at any side &ge; 48 px.
 *
 * @param imageSize image side in pixels (&ge; 48)
 * @param trainAug images with image-level labels for training
 * @param train scored subset of train_aug (&le; trainAug)
 * @param val held-out images on which choices are made
 * @param test held-out images scored once
 * @param minObjects fewest objects per image (&ge; 1)
 * @param maxObjects most objects per image (&le; 3 keeps the VOC-like mix)
 * @param minObjectSize smallest object, longer bounding-box side as a fraction of the image side
 *     (scale spread)
 * @param maxObjectSize largest object, same unit
 * @param partFractionMin smallest share of an object's area taken by its discriminative part
 *     (partial activation)
 * @param partFractionMax largest share, same unit
 * @param bodyFamilies number of body families in use (1..5)
 * @param classLinkedBodies true: a class always has the same family (the body then narrows the
 *     class down to the classes of its family); false: every object draws its family at random,
 *     so the body carries no class information and only the part identifies the class
 * @param bodyContrast how far a body's colour stands from the background behind it: 1 = its own
 *     random colour, 0 = the background's colour (only texture and outline show it)
 * @param contextClasses how many classes (the first ones) have a class-correlated background
 * @param contextProb probability that an image whose first object is a context class shows that
 *     class's background region (context bias)
 * @param contextStrength tint strength of the context region, 0 (invisible) .. 1 (pure tint)
 * @param contextNoise probability that an image shows a random context region of a class that may
 *     be absent (keeps the cue imperfect)
 * @param cooccurPairs number of class pairs that co-occur (classes 1+2, 3+4, ...)
 * @param cooccurProb probability that a paired class brings its partner into the image
 * @param clutterDensity mean number of textured clutter shapes in the background of a 96-px image
 *     (scaled with the image area)
 * @param distractorDensity mean number of part-like distractors (a disc or striped square in a
 *     part hue, at a saturation between the clutter's and the parts') in the background of a
 *     96-px image (scaled with the image area); they are background in the masks
 * @param distractorClassProb probability that a distractor takes the hue of a class present in
 *     the image (else any part hue), so that a class's map meets its own colour off the object
 * @param decoyBodies mean number of decoy bodies in an image: object bodies (same families,
 *     textures, colours and sizes) without a discriminative part, labelled background, so that
 *     a body is no evidence of an object and only the part is
 * @param occlusionProb probability that an object may overlap the objects behind it
 * @param maxOcclusion largest share of an object's area that objects in front may hide
 * @param asymmetricProb probability that an object's part sits at its left or right end (else on
 *     its vertical mid-line, so the object is mirror-symmetric)
 * @param sideBias probability that an asymmetric object's part sits on its class's preferred side
 *     (0.5 = no preferred side)
 * @param pixelNoise amplitude of per-pixel brightness noise (0..255 units)
 */
public record GeneratorConfig(
        int imageSize,
        int trainAug,
        int train,
        int val,
        int test,
        int minObjects,
        int maxObjects,
        double minObjectSize,
        double maxObjectSize,
        double partFractionMin,
        double partFractionMax,
        int bodyFamilies,
        boolean classLinkedBodies,
        double bodyContrast,
        int contextClasses,
        double contextProb,
        double contextStrength,
        double contextNoise,
        int cooccurPairs,
        double cooccurProb,
        double clutterDensity,
        double distractorDensity,
        double distractorClassProb,
        double decoyBodies,
        double occlusionProb,
        double maxOcclusion,
        double asymmetricProb,
        double sideBias,
        int pixelNoise) {

    /** Number of object classes the generator draws (background excluded). */
    public static final int NUM_CLASSES = 20;

    public GeneratorConfig {
        check(imageSize >= 48, "imageSize", imageSize, "must be >= 48");
        check(trainAug >= 1, "trainAug", trainAug, "must be >= 1");
        check(train >= 0 && train <= trainAug, "train", train, "must be in 0..trainAug");
        check(val >= 0, "val", val, "must be >= 0");
        check(test >= 0, "test", test, "must be >= 0");
        check(minObjects >= 1, "minObjects", minObjects, "must be >= 1");
        check(maxObjects >= minObjects && maxObjects <= 6, "maxObjects", maxObjects,
                "must be in minObjects..6");
        check(minObjectSize >= 0.1 && minObjectSize <= maxObjectSize, "minObjectSize",
                minObjectSize, "must be in 0.1..maxObjectSize");
        check(maxObjectSize <= 0.95, "maxObjectSize", maxObjectSize, "must be <= 0.95");
        check(partFractionMin >= 0.05 && partFractionMin <= partFractionMax, "partFractionMin",
                partFractionMin, "must be in 0.05..partFractionMax");
        check(partFractionMax <= 0.9, "partFractionMax", partFractionMax, "must be <= 0.9");
        check(bodyFamilies >= 1 && bodyFamilies <= SyntheticClasses.FAMILIES, "bodyFamilies",
                bodyFamilies, "must be in 1.." + SyntheticClasses.FAMILIES);
        check(prob(bodyContrast), "bodyContrast", bodyContrast, "must be in 0..1");
        check(contextClasses >= 0 && contextClasses <= SyntheticClasses.CONTEXTS,
                "contextClasses", contextClasses, "must be in 0.." + SyntheticClasses.CONTEXTS);
        check(prob(contextProb), "contextProb", contextProb, "must be in 0..1");
        check(prob(contextStrength), "contextStrength", contextStrength, "must be in 0..1");
        check(prob(contextNoise), "contextNoise", contextNoise, "must be in 0..1");
        check(cooccurPairs >= 0 && cooccurPairs <= NUM_CLASSES / 2, "cooccurPairs", cooccurPairs,
                "must be in 0.." + NUM_CLASSES / 2);
        check(prob(cooccurProb), "cooccurProb", cooccurProb, "must be in 0..1");
        check(clutterDensity >= 0 && clutterDensity <= 64, "clutterDensity", clutterDensity,
                "must be in 0..64");
        check(distractorDensity >= 0 && distractorDensity <= 16, "distractorDensity",
                distractorDensity, "must be in 0..16");
        check(prob(distractorClassProb), "distractorClassProb", distractorClassProb,
                "must be in 0..1");
        check(decoyBodies >= 0 && decoyBodies <= 4, "decoyBodies", decoyBodies,
                "must be in 0..4");
        check(prob(occlusionProb), "occlusionProb", occlusionProb, "must be in 0..1");
        check(maxOcclusion >= 0 && maxOcclusion <= 0.7, "maxOcclusion", maxOcclusion,
                "must be in 0..0.7");
        check(prob(asymmetricProb), "asymmetricProb", asymmetricProb, "must be in 0..1");
        check(prob(sideBias), "sideBias", sideBias, "must be in 0..1");
        check(pixelNoise >= 0 && pixelNoise <= 64, "pixelNoise", pixelNoise, "must be in 0..64");
    }

    /** The defaults (README-synthetic.md explains each) at the quick profile's size. */
    public static GeneratorConfig defaults() {
        return new GeneratorConfig(
                96, 3000, 300, 300, 300, // image side, split sizes (quick profile)
                1, 3, // objects per image
                0.35, 0.65, // object size range (synth-7: 0.25)
                0.20, 0.30, // part fraction (synth-7: 0.15-0.25)
                5, false, // body families, drawn independently of the class
                1.0, // body contrast against the background (synth-4's 0.35 did not help)
                6, 0.3, 0.25, 0.05, // context: classes, probability, strength, noise (weak)
                4, 0.4, // co-occurring pairs and probability
                6.0, // clutter
                2.0, 0.5, // part-like distractors: density, share in a present class's hue
                3.0, // decoy bodies (partless bodies in the background), mean per image
                0.3, 0.3, // occlusion probability, largest hidden share
                0.6, 0.8, // asymmetry probability, side bias
                6); // pixel noise
    }

    /** The defaults at a profile's image size and split sizes; fails for real-data profiles. */
    public static GeneratorConfig forProfile(Profile p) {
        if (p.dataset() != Profile.Dataset.SYNTHETIC) {
            throw new IllegalArgumentException(
                    "profile '" + p.name() + "' uses " + p.dataset()
                            + " data, not the synthetic benchmark");
        }
        return defaults()
                .withImageSize(p.imageSize())
                .withSplits(p.trainAug(), p.train(), p.val(), p.test());
    }

    public GeneratorConfig withImageSize(int side) {
        return copy(m -> m.imageSize = side);
    }

    public GeneratorConfig withSplits(int trainAug, int train, int val, int test) {
        return copy(m -> {
            m.trainAug = trainAug;
            m.train = train;
            m.val = val;
            m.test = test;
        });
    }

    /** A copy with other occlusion knobs (0, 0 turns occlusion off). */
    public GeneratorConfig withOcclusion(double occlusionProb, double maxOcclusion) {
        return copy(m -> {
            m.occlusionProb = occlusionProb;
            m.maxOcclusion = maxOcclusion;
        });
    }

    /** A copy with another part-fraction range. */
    public GeneratorConfig withPartFraction(double min, double max) {
        return copy(m -> {
            m.partFractionMin = min;
            m.partFractionMax = max;
        });
    }

    /** A copy with other body knobs (number of families; whether a class keeps its family). */
    public GeneratorConfig withBodies(int families, boolean classLinked) {
        return copy(m -> {
            m.bodyFamilies = families;
            m.classLinkedBodies = classLinked;
        });
    }

    /** A copy with another body contrast (1 = synth-3's bodies). */
    public GeneratorConfig withBodyContrast(double contrast) {
        return copy(m -> m.bodyContrast = contrast);
    }

    /** A copy with other part-like distractors (0 density turns them off). */
    public GeneratorConfig withDistractors(double density, double classProb) {
        return copy(m -> {
            m.distractorDensity = density;
            m.distractorClassProb = classProb;
        });
    }

    /** A copy with another mean number of decoy bodies (0 turns them off). */
    public GeneratorConfig withDecoyBodies(double mean) {
        return copy(m -> m.decoyBodies = mean);
    }

    /** A copy with another context bias. */
    public GeneratorConfig withContext(int classes, double prob, double strength, double noise) {
        return copy(m -> {
            m.contextClasses = classes;
            m.contextProb = prob;
            m.contextStrength = strength;
            m.contextNoise = noise;
        });
    }

    /** A copy with some knobs edited (validated again by the constructor). */
    private GeneratorConfig copy(java.util.function.Consumer<Knobs> edit) {
        Knobs m = new Knobs(this);
        edit.accept(m);
        return m.build();
    }

    /** The knobs as mutable fields: the one place that lists them for the copies above. */
    private static final class Knobs {
        int imageSize;
        int trainAug;
        int train;
        int val;
        int test;
        int minObjects;
        int maxObjects;
        double minObjectSize;
        double maxObjectSize;
        double partFractionMin;
        double partFractionMax;
        int bodyFamilies;
        boolean classLinkedBodies;
        double bodyContrast;
        int contextClasses;
        double contextProb;
        double contextStrength;
        double contextNoise;
        int cooccurPairs;
        double cooccurProb;
        double clutterDensity;
        double distractorDensity;
        double distractorClassProb;
        double decoyBodies;
        double occlusionProb;
        double maxOcclusion;
        double asymmetricProb;
        double sideBias;
        int pixelNoise;

        Knobs(GeneratorConfig c) {
            imageSize = c.imageSize;
            trainAug = c.trainAug;
            train = c.train;
            val = c.val;
            test = c.test;
            minObjects = c.minObjects;
            maxObjects = c.maxObjects;
            minObjectSize = c.minObjectSize;
            maxObjectSize = c.maxObjectSize;
            partFractionMin = c.partFractionMin;
            partFractionMax = c.partFractionMax;
            bodyFamilies = c.bodyFamilies;
            classLinkedBodies = c.classLinkedBodies;
            bodyContrast = c.bodyContrast;
            contextClasses = c.contextClasses;
            contextProb = c.contextProb;
            contextStrength = c.contextStrength;
            contextNoise = c.contextNoise;
            cooccurPairs = c.cooccurPairs;
            cooccurProb = c.cooccurProb;
            clutterDensity = c.clutterDensity;
            distractorDensity = c.distractorDensity;
            distractorClassProb = c.distractorClassProb;
            decoyBodies = c.decoyBodies;
            occlusionProb = c.occlusionProb;
            maxOcclusion = c.maxOcclusion;
            asymmetricProb = c.asymmetricProb;
            sideBias = c.sideBias;
            pixelNoise = c.pixelNoise;
        }

        GeneratorConfig build() {
            return new GeneratorConfig(imageSize, trainAug, train, val, test, minObjects,
                    maxObjects, minObjectSize, maxObjectSize, partFractionMin, partFractionMax,
                    bodyFamilies, classLinkedBodies, bodyContrast, contextClasses, contextProb,
                    contextStrength, contextNoise, cooccurPairs, cooccurProb, clutterDensity,
                    distractorDensity, distractorClassProb, decoyBodies, occlusionProb,
                    maxOcclusion,
                    asymmetricProb, sideBias, pixelNoise);
        }
    }

    /** Total number of images over all splits. */
    public int totalImages() {
        return trainAug + val + test;
    }

    private static boolean prob(double p) {
        return p >= 0 && p <= 1;
    }

    private static void check(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(
                    "generator config: " + key + " = " + value + " " + rule);
        }
    }
}
