package org.wsss4j.data.weights;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dimensions of a timm {@code VisionTransformer} with one class token, learned position
 * embedding, qkv bias and a linear head — the layout of {@code deit_*_patch16_*} checkpoints — and
 * the parameter names and shapes its {@code state_dict} has.
 *
 * @param imageSize input side the position embedding was trained for
 * @param patchSize patch side
 * @param inChans input channels
 * @param dim embedding width
 * @param depth number of blocks
 * @param heads attention heads (not visible in any shape: qkv is 3·dim wide whatever the heads)
 * @param mlpHidden hidden width of each block's MLP
 * @param numClasses classifier outputs
 */
public record VitSpec(
        int imageSize, int patchSize, int inChans, int dim, int depth, int heads, int mlpHidden, int numClasses) {

    public VitSpec {
        if (imageSize % patchSize != 0 || dim % heads != 0 || depth < 1) {
            throw new IllegalArgumentException(
                    "inconsistent ViT spec: image " + imageSize + " / patch " + patchSize + ", dim " + dim
                            + " / heads " + heads + ", depth " + depth);
        }
    }

    /**
     * timm's {@code deit_small_patch16_224} (DeiT-S, Touvron et al. 2021): patch 16, 224 px, dim 384,
     * depth 12, 6 heads, MLP 1536, 1000 ImageNet classes.
     */
    public static VitSpec deitSmall() {
        return new VitSpec(224, 16, 3, 384, 12, 6, 1536, 1000);
    }

    /** Tokens: one class token plus (imageSize / patchSize)² patches. */
    public int tokens() {
        int g = imageSize / patchSize;
        return 1 + g * g;
    }

    /** Every parameter name of timm's state_dict with its shape, in a fixed order. */
    public Map<String, long[]> expectedShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("cls_token", new long[] {1, 1, dim});
        m.put("pos_embed", new long[] {1, tokens(), dim});
        m.put("patch_embed.proj.weight", new long[] {dim, inChans, patchSize, patchSize});
        m.put("patch_embed.proj.bias", new long[] {dim});
        for (int i = 0; i < depth; i++) {
            String b = "blocks." + i + ".";
            m.put(b + "norm1.weight", new long[] {dim});
            m.put(b + "norm1.bias", new long[] {dim});
            m.put(b + "attn.qkv.weight", new long[] {3L * dim, dim});
            m.put(b + "attn.qkv.bias", new long[] {3L * dim});
            m.put(b + "attn.proj.weight", new long[] {dim, dim});
            m.put(b + "attn.proj.bias", new long[] {dim});
            m.put(b + "norm2.weight", new long[] {dim});
            m.put(b + "norm2.bias", new long[] {dim});
            m.put(b + "mlp.fc1.weight", new long[] {mlpHidden, dim});
            m.put(b + "mlp.fc1.bias", new long[] {mlpHidden});
            m.put(b + "mlp.fc2.weight", new long[] {dim, mlpHidden});
            m.put(b + "mlp.fc2.bias", new long[] {dim});
        }
        m.put("norm.weight", new long[] {dim});
        m.put("norm.bias", new long[] {dim});
        m.put("head.weight", new long[] {numClasses, dim});
        m.put("head.bias", new long[] {numClasses});
        return m;
    }

    /** Total parameter count of {@link #expectedShapes()}. */
    public long parameterCount() {
        long n = 0;
        for (long[] s : expectedShapes().values()) {
            long p = 1;
            for (long d : s) {
                p *= d;
            }
            n += p;
        }
        return n;
    }
}
