package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Pixel-adaptive refinement (PAR), the small deterministic operator AFA, ToCo and AReAM share
 * (methods.md §1.3 b): every pixel looks at its 8 neighbours at each dilation (replicate padding),
 * weighs them by appearance, {@code softmax_j(−(|I_i − I_j| / (w₁·σ_i))²)} averaged over the
 * colour channels (σ_i the unbiased per-channel std of pixel i's neighbour values), plus {@code
 * w₂ · softmax_j(−(d_ij / (w₁·σ_pos))²)} by distance (d = dilation, ×√2 on diagonals), and
 * propagates the masks {@code iterations} times: {@code m_i ← Σ_j aff_ij · m_j}.
 *
 * <p>The appearance term divides each channel's difference by that channel's neighbour std, so
 * PAR is unchanged by a per-channel affine map of the image: ImageNet-normalised pixels give the
 * same affinities as the de-normalised ones the official code uses (up to its 1e-8 guard).
 *
 * <p>The paper's dilations {1, 2, 4, 8, 12, 24} are for the 112-px map AReAM refines (224-px
 * crops at half resolution); {@link #forMapSize} scales them to other sizes (methods.md Part 1).
 */
public final class Par {
    /** AFA/ToCo/AReAM's dilations, for a {@link #PAPER_MAP_SIZE}-px map. */
    public static final int[] PAPER_DILATIONS = {1, 2, 4, 8, 12, 24};
    /** The map size the paper's dilations are given for (224-px crops at half resolution). */
    public static final int PAPER_MAP_SIZE = 112;
    public static final int PAPER_ITERATIONS = 10;
    public static final double PAPER_W1 = 0.3;
    public static final double PAPER_W2 = 0.01;

    /** Neighbour offsets (row, column) per dilation unit, in the official kernel's order. */
    private static final int[][] OFFSETS = {
        {-1, -1}, {-1, 0}, {-1, 1}, {0, -1}, {0, 1}, {1, -1}, {1, 0}, {1, 1}
    };

    private final int[] dilations;
    private final int iterations;
    private final double w1;
    private final double w2;
    private final float[] positionWeights;

    /**
     * @param dilations distinct positive neighbour distances (8 neighbours each)
     * @param iterations propagation steps (0 = affinity only, masks unchanged)
     * @param w1 temperature of both kernels (0.3)
     * @param w2 weight of the position kernel (0.01)
     */
    public Par(int[] dilations, int iterations, double w1, double w2) {
        if (dilations.length == 0) {
            throw new IllegalArgumentException("PAR needs at least one dilation");
        }
        for (int d : dilations) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "PAR dilations must be >= 1, got " + Arrays.toString(dilations));
            }
        }
        if (iterations < 0 || !(w1 > 0) || !(w2 >= 0)) {
            throw new IllegalArgumentException("PAR needs iterations >= 0, w1 > 0, w2 >= 0; got "
                    + iterations + ", " + w1 + ", " + w2);
        }
        this.dilations = dilations.clone();
        this.iterations = iterations;
        this.w1 = w1;
        this.w2 = w2;
        this.positionWeights = positionSoftmax(this.dilations, w1);
    }

    /** The paper's PAR: dilations {1, 2, 4, 8, 12, 24}, 10 iterations, w₁ 0.3, w₂ 0.01. */
    public static Par paper() {
        return new Par(PAPER_DILATIONS, PAPER_ITERATIONS, PAPER_W1, PAPER_W2);
    }

    /** The paper's PAR with its dilations scaled to a map of side {@code mapSize}. */
    public static Par forMapSize(int mapSize) {
        return new Par(scaledDilations(mapSize), PAPER_ITERATIONS, PAPER_W1, PAPER_W2);
    }

    /**
     * The paper's dilations scaled by mapSize / 112: each ⌊d·s + ½⌋, at least 1, duplicates
     * dropped (a repeated ring would count its neighbours twice).
     */
    public static int[] scaledDilations(int mapSize) {
        if (mapSize < 1) {
            throw new IllegalArgumentException("PAR map size must be >= 1, got " + mapSize);
        }
        return Arrays.stream(PAPER_DILATIONS)
                .map(d -> Math.max(1, (int) Math.floor((double) d * mapSize / PAPER_MAP_SIZE
                        + 0.5)))
                .distinct()
                .toArray();
    }

    public int[] dilations() {
        return dilations.clone();
    }

    public int iterations() {
        return iterations;
    }

    /** Number of neighbours each pixel looks at: 8 per dilation. */
    public int neighbours() {
        return 8 * dilations.length;
    }

    /**
     * Refines {@code masks} [B, K, h, w] along the appearance of {@code images} [B, 3, h, w] (the
     * same h × w); returns [B, K, h, w] in the masks' manager.
     */
    public NDArray refine(NDArray images, NDArray masks) {
        Shape si = images.getShape();
        Shape sm = masks.getShape();
        if (si.dimension() != 4 || sm.dimension() != 4 || si.get(0) != sm.get(0)
                || si.get(2) != sm.get(2) || si.get(3) != sm.get(3)) {
            throw new IllegalArgumentException(
                    "PAR needs images [B, 3, h, w] and masks [B, K, h, w] of the same B, h, w; got "
                            + si + " and " + sm);
        }
        return propagate(affinity(images), masks);
    }

    /**
     * The propagation alone, for masks [B, K, h, w] and an {@link #affinity} [B, 1, h, w, n]
     * computed once (AReAM refines two label sets along the same image).
     *
     * <p>Each step sums, over the n neighbours, the replicate-padded map shifted to that
     * neighbour times its weight plane. That reads the [B, K, h, w] map n times instead of
     * materialising the [B, K, h, w, n] neighbour tensor. PAR is memory-bound: on 2 CPU cores
     * this halved AReAM's per-step pseudo label ({@code wsss4j bench --aream}: 1.43–1.51 s →
     * 0.72–0.73 s). The sums differ from the gather form only in float rounding.
     */
    public NDArray propagate(NDArray affinity, NDArray masks) {
        Shape s = masks.getShape();
        Shape sa = affinity.getShape();
        int n = neighbours();
        if (s.dimension() != 4 || !sa.equals(new Shape(s.get(0), 1, s.get(2), s.get(3), n))) {
            throw new IllegalArgumentException("PAR needs masks [B, K, h, w] and an affinity "
                    + "[B, 1, h, w, " + n + "] of the same B, h, w; got " + s + " and " + sa);
        }
        if (iterations == 0) {
            return masks;
        }
        long b = s.get(0);
        long k = s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int pad = Arrays.stream(dilations).max().orElseThrow();
        NDArray m = masks;
        try (NDScope outer = new NDScope()) {
            NDArray padIndex = masks.getManager().create(paddedIndex(h, w, pad))
                    .toDevice(masks.getDevice(), false);
            // Weight plane of neighbour j: [B, 1, h, w], contiguous, one per neighbour.
            NDArray planes = affinity.reshape(b, (long) h * w, n).transpose(2, 0, 1)
                    .reshape(n, b, 1, h, w).duplicate();
            for (int it = 0; it < iterations; it++) {
                NDArray next;
                // Each step's temporaries are freed at once, not with the caller's scope.
                try (NDScope scope = new NDScope()) {
                    NDArray padded = m.reshape(b, k, (long) h * w)
                            .get(new NDIndex(":, :, {}", padIndex))
                            .reshape(b, k, h + 2L * pad, w + 2L * pad);
                    next = null;
                    for (int j = 0; j < n; j++) {
                        int d = dilations[j / 8];
                        int r0 = pad + OFFSETS[j % 8][0] * d;
                        int c0 = pad + OFFSETS[j % 8][1] * d;
                        NDArray term = padded
                                .get(new NDIndex(":, :, {}:{}, {}:{}", r0, r0 + h, c0, c0 + w))
                                .mul(planes.get(j));
                        next = next == null ? term : next.addi(term);
                    }
                    NDScope.unregister(next);
                }
                if (m != masks) {
                    m.close();
                }
                m = next;
            }
            NDScope.unregister(m);
        }
        NDScope.register(m);
        return m;
    }

    /**
     * Flat source index of every cell of the map replicate-padded by {@code pad} on each side:
     * [(h + 2·pad)·(w + 2·pad)].
     */
    private static long[] paddedIndex(int h, int w, int pad) {
        int ph = h + 2 * pad;
        int pw = w + 2 * pad;
        long[] idx = new long[ph * pw];
        for (int r = 0; r < ph; r++) {
            int rr = Math.min(h - 1, Math.max(0, r - pad));
            for (int c = 0; c < pw; c++) {
                idx[r * pw + c] = (long) rr * w + Math.min(w - 1, Math.max(0, c - pad));
            }
        }
        return idx;
    }

    /**
     * Per-pixel neighbour weights [B, 1, h, w, n] (neighbours last, as the softmax over them
     * runs): the appearance softmax plus w₂ times the position softmax (each pixel's
     * weights sum to 1 + w₂, as in the official code).
     */
    public NDArray affinity(NDArray images) {
        int n = neighbours();
        NDArray aff;
        try (NDScope scope = new NDScope()) {
            NDArray nb = neighbourValues(images); // [B, 3, h, w, n]
            NDArray centre = images.expandDims(4);
            NDArray mean = nb.mean(new int[] {4}, true);
            // Unbiased std over the neighbours, as torch.std.
            NDArray std = nb.sub(mean).square().sum(new int[] {4}, true).div(n - 1f).sqrt();
            NDArray kappa = nb.sub(centre).abs().div(std.add(1e-8f)).div((float) w1).square()
                    .neg().mean(new int[] {1}, true);
            NDArray pos = images.getManager()
                    .create(positionWeights, new Shape(1, 1, 1, 1, n))
                    .toDevice(images.getDevice(), false);
            aff = kappa.softmax(4).add(pos.mul((float) w2));
            NDScope.unregister(aff);
        }
        NDScope.register(aff);
        return aff;
    }

    /** softmax_j(−(d_j / (w₁·σ_pos))²) over the n neighbour distances, σ_pos unbiased. */
    private static float[] positionSoftmax(int[] dilations, double w1) {
        double[] dist = IntStream.range(0, 8 * dilations.length)
                .mapToDouble(j -> {
                    int[] o = OFFSETS[j % 8];
                    double unit = o[0] != 0 && o[1] != 0 ? Math.sqrt(2) : 1;
                    return unit * dilations[j / 8];
                })
                .toArray();
        double mean = Arrays.stream(dist).average().orElseThrow();
        double var = Arrays.stream(dist).map(d -> (d - mean) * (d - mean)).sum()
                / (dist.length - 1);
        double sigma = Math.sqrt(var) + 1e-8;
        double[] k = Arrays.stream(dist).map(d -> -Math.pow(d / sigma / w1, 2)).toArray();
        double max = Arrays.stream(k).max().orElseThrow();
        double z = Arrays.stream(k).map(v -> Math.exp(v - max)).sum();
        float[] out = new float[k.length];
        for (int j = 0; j < k.length; j++) {
            out[j] = (float) (Math.exp(k[j] - max) / z);
        }
        return out;
    }

    /**
     * The n neighbour values of every pixel, replicate-padded: [B, K, h, w] → [B, K, h, w, n].
     * One gather along precomputed (clamped) neighbour indices; used for the image, whose
     * neighbour statistics need every neighbour at once.
     */
    NDArray neighbourValues(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long k = s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int n = neighbours();
        NDArray idx = x.getManager().create(neighbourIndex(h, w), new Shape(1, 1, (long) n * h * w))
                .toDevice(x.getDevice(), false)
                .broadcast(b, k, (long) n * h * w);
        return x.reshape(b, k, (long) h * w).gather(idx, 2).reshape(b, k, h, w, n);
    }

    /** Flat index of neighbour j of pixel (r, c), coordinates clamped to the map (replicate). */
    private long[] neighbourIndex(int h, int w) {
        int n = neighbours();
        long[] idx = new long[n * h * w];
        for (int j = 0; j < n; j++) {
            int d = dilations[j / 8];
            int[] o = OFFSETS[j % 8];
            for (int r = 0; r < h; r++) {
                int rr = Math.min(h - 1, Math.max(0, r + o[0] * d));
                for (int c = 0; c < w; c++) {
                    int cc = Math.min(w - 1, Math.max(0, c + o[1] * d));
                    idx[(r * w + c) * n + j] = (long) rr * w + cc;
                }
            }
        }
        return idx;
    }
}
