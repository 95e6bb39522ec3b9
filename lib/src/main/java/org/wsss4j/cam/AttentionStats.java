package org.wsss4j.cam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Statistics of attention (affinity) matrices: row entropy, sparsity, and how much of a token's
 * attention stays inside its own segment. AReAM's premise (deep blocks sharpen and over-smooth)
 * and the benchmark's gate 3 (attention is semantic) are read off these.
 */
public final class AttentionStats {
    private AttentionStats() {}

    /**
     * Mean row entropy (nats) of the patch-to-patch block of one block's attention [B, H, N, N],
     * each row renormalised over the patches.
     */
    public static double patchEntropy(NDArray attention, int numClassTokens) {
        NDArray p = patchRows(attention, numClassTokens);
        NDArray ent = p.mul(p.add(1e-12f).log()).sum(new int[] {-1}).neg();
        return ent.mean().getFloat();
    }

    /** Mean share of each patch row's mass held by its top-k entries (a sparsity measure). */
    public static double topKMass(NDArray attention, int numClassTokens, int k) {
        NDArray p = patchRows(attention, numClassTokens);
        long n = p.getShape().get(p.getShape().dimension() - 1);
        NDArray top = p.sort(-1).get(new NDIndex("..., {}:", n - Math.min(k, n)));
        return top.sum(new int[] {-1}).mean().getFloat();
    }

    /** Mean Gini coefficient of the patch rows (0 = uniform, → 1 = one-hot). */
    public static double gini(NDArray attention, int numClassTokens) {
        NDArray p = patchRows(attention, numClassTokens).sort(-1);
        long n = p.getShape().get(p.getShape().dimension() - 1);
        // G = Σ_i (2i − n − 1) x_(i) / (n Σ x), i = 1..n over the sorted row.
        NDArray idx = p.getManager().arange(1f, n + 1f).mul(2f).sub(n + 1f);
        NDArray g = p.mul(idx).sum(new int[] {-1}).div(p.sum(new int[] {-1}).mul((float) n));
        return g.mean().getFloat();
    }

    /** Patch-to-patch rows [B, H, hw, hw] renormalised to sum 1 over the patches. */
    static NDArray patchRows(NDArray attention, int t) {
        NDArray p = attention.get(new NDIndex(":, :, {}:, {}:", t, t));
        return p.div(p.sum(new int[] {-1}, true).add(1e-12f));
    }

    /**
     * Share of class-to-patch attention on background tokens, averaged over the image's label
     * classes: {@code background[b][j]} marks patch j of image b as background, {@code
     * labels[b][c]} the classes present.
     */
    public static double classAttentionOnBackground(
            NDArray attention, int numClassTokens, boolean[][] background, float[][] labels) {
        NDArray c2p = attention.get(new NDIndex(":, :, :{}, {}:", numClassTokens, numClassTokens))
                .mean(new int[] {1}); // [B, C, hw]
        float[] v = c2p.toFloatArray();
        int b = background.length;
        int c = numClassTokens;
        int hw = background[0].length;
        double sum = 0;
        int n = 0;
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < c; k++) {
                if (labels[i][k] < 0.5f) {
                    continue;
                }
                double bg = 0, all = 0;
                for (int j = 0; j < hw; j++) {
                    double a = v[(i * c + k) * hw + j];
                    all += a;
                    if (background[i][j]) {
                        bg += a;
                    }
                }
                if (all > 0) {
                    sum += bg / all;
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Gate 3's ratio for one block: for query patches whose segment is an object (segment id &gt;
     * 0) and, separately, background (id 0): the share of the query's patch-to-patch mass on
     * patches of its own segment, divided by that segment's share of the patches. 1 = no
     * preference; the benchmark asks ≥ 2 for objects in the deeper half.
     *
     * @param attention one block [B, H, N, N]
     * @param segments per image, the segment id of each patch token (0 background, 255 ignore)
     * @return {objectRatio, backgroundRatio}
     */
    public static double[] inSegmentRatio(NDArray attention, int numClassTokens, int[][] segments) {
        NDArray p = patchRows(attention, numClassTokens).mean(new int[] {1}); // [B, hw, hw]
        float[] v = p.toFloatArray();
        int b = segments.length;
        int hw = segments[0].length;
        double objSum = 0, bgSum = 0;
        long objN = 0, bgN = 0;
        for (int i = 0; i < b; i++) {
            int[] seg = segments[i];
            java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
            for (int s : seg) {
                counts.merge(s, 1, Integer::sum);
            }
            for (int q = 0; q < hw; q++) {
                int s = seg[q];
                if (s == 255) {
                    continue;
                }
                double share = (double) counts.get(s) / hw;
                if (share >= 1.0) {
                    continue; // a segment covering the image carries no information
                }
                double inside = 0;
                int row = (i * hw + q) * hw;
                for (int k = 0; k < hw; k++) {
                    if (seg[k] == s) {
                        inside += v[row + k];
                    }
                }
                double ratio = inside / share;
                if (s == 0) {
                    bgSum += ratio;
                    bgN++;
                } else {
                    objSum += ratio;
                    objN++;
                }
            }
        }
        return new double[] {objN == 0 ? Double.NaN : objSum / objN,
            bgN == 0 ? Double.NaN : bgSum / bgN};
    }
}
