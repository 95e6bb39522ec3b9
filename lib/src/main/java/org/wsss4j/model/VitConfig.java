package org.wsss4j.model;

import java.util.Locale;

/**
 * A DeiT-layout ViT. With {@code numClassTokens == 1} it is DeiT (linear head on the class
 * token); with {@code numClassTokens == numClasses} it is the kit's shared base, MCTformer-V2:
 * class scores from the class tokens plus a PatchCAM head (3×3 conv on the patch-token map, then
 * global average pooling).
 *
 * @param imageSize the size the position embedding is stored for (other sizes are resampled)
 * @param readout how a class token becomes a score (C-token models only)
 * @param stem timm's patch embedding or a small convolutional stem
 * @param dropPath stochastic-depth rate of the last block (linear in depth, as in DeiT)
 */
public record VitConfig(
        String preset,
        int imageSize,
        int patchSize,
        int embedDim,
        int depth,
        int numHeads,
        double mlpRatio,
        int numClasses,
        int numClassTokens,
        Readout readout,
        Stem stem,
        double dropPath) {

    /** Class score of a class token. */
    public enum Readout {
        /** MCTformer: mean over the embedding of the normalised class token. */
        MEAN,
        /** Per-class linear read-out, w_c initialised to 1/D so it equals MEAN at the start. */
        LINEAR
    }

    /** Patch embedding. */
    public enum Stem {
        /** timm: one p×p convolution with stride p. */
        PATCH,
        /** Stride-2 3×3 convolutions down to the patch grid, then a 1×1 projection. */
        CONV
    }

    public VitConfig {
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException(
                    "embedDim " + embedDim + " is not divisible by numHeads " + numHeads);
        }
        if (numClassTokens != 1 && numClassTokens != numClasses) {
            throw new IllegalArgumentException(
                    "numClassTokens must be 1 (DeiT) or numClasses (MCTformer), got "
                            + numClassTokens);
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "imageSize " + imageSize + " is not a multiple of patchSize " + patchSize);
        }
        if (stem == Stem.CONV && Integer.bitCount(patchSize) != 1) {
            throw new IllegalArgumentException("the conv stem needs a power-of-two patch size");
        }
    }

    public int headDim() {
        return embedDim / numHeads;
    }

    public int mlpHidden() {
        return (int) Math.round(embedDim * mlpRatio);
    }

    public int gridSize() {
        return imageSize / patchSize;
    }

    /** True for the MCTformer layout (one class token per class). */
    public boolean isMct() {
        return numClassTokens > 1;
    }

    /** Trains on 2 CPU cores: patch 8, width 128, depth 6, 4 heads, C class tokens. */
    public static VitConfig tinySynth(int imageSize, int numClasses) {
        return new VitConfig("tiny-synth", imageSize, 8, 128, 6, 4, 4.0, numClasses, numClasses,
                Readout.LINEAR, Stem.PATCH, 0.0);
    }

    /** DeiT-Ti/16 layout (192 wide, 12 blocks, 3 heads) with C class tokens. */
    public static VitConfig deitTiny(int imageSize, int numClasses) {
        return new VitConfig("deit-tiny", imageSize, 16, 192, 12, 3, 4.0, numClasses, numClasses,
                Readout.LINEAR, Stem.PATCH, 0.1);
    }

    /** DeiT-S/16 layout (384 wide, 12 blocks, 6 heads) with C class tokens, MCTformer read-out. */
    public static VitConfig deitSmall(int imageSize, int numClasses) {
        return new VitConfig("deit-small", imageSize, 16, 384, 12, 6, 4.0, numClasses, numClasses,
                Readout.MEAN, Stem.PATCH, 0.1);
    }

    /** Looks a preset up by name; fails naming the unknown one. */
    public static VitConfig preset(String name, int imageSize, int numClasses) {
        switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "tiny-synth":
                return tinySynth(imageSize, numClasses);
            case "deit-tiny":
                return deitTiny(imageSize, numClasses);
            case "deit-small":
                return deitSmall(imageSize, numClasses);
            default:
                throw new IllegalArgumentException(
                        "Unknown model preset '" + name + "': use tiny-synth, deit-tiny or deit-small");
        }
    }

    public VitConfig withImageSize(int size) {
        return new VitConfig(preset, size, patchSize, embedDim, depth, numHeads, mlpRatio,
                numClasses, numClassTokens, readout, stem, dropPath);
    }

    public VitConfig withClassTokens(int tokens) {
        return new VitConfig(preset, imageSize, patchSize, embedDim, depth, numHeads, mlpRatio,
                numClasses, tokens, readout, stem, dropPath);
    }

    public VitConfig withReadout(Readout r) {
        return new VitConfig(preset, imageSize, patchSize, embedDim, depth, numHeads, mlpRatio,
                numClasses, numClassTokens, r, stem, dropPath);
    }

    public VitConfig withStem(Stem s) {
        return new VitConfig(preset, imageSize, patchSize, embedDim, depth, numHeads, mlpRatio,
                numClasses, numClassTokens, readout, s, dropPath);
    }

    public VitConfig withDropPath(double d) {
        return new VitConfig(preset, imageSize, patchSize, embedDim, depth, numHeads, mlpRatio,
                numClasses, numClassTokens, readout, stem, d);
    }

    public VitConfig withShape(int patch, int dim, int blocks, int heads) {
        return new VitConfig(preset, imageSize, patch, dim, blocks, heads, mlpRatio, numClasses,
                numClassTokens, readout, stem, dropPath);
    }
}
