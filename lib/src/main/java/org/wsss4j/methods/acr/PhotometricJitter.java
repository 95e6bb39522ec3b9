package org.wsss4j.methods.acr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.wsss4j.runtime.Seeds;

/**
 * A photometric change for ACR's optional second view, drawn per image from (seed, step). The
 * batch is already normalised per channel, and every brightness, contrast or colour-cast change
 * of raw pixels is an affine map per channel, so the jitter is drawn directly in normalised
 * units: x' = m + a·(x − m) + b_ch, with m the image's per-channel mean, a ~ U[1 − contrast, 1 +
 * contrast] shared by the channels, b_ch ~ U[−shift, shift] per channel. The official code uses
 * no colour jitter (its second view is the flip); these strengths are the kit's (ColorJitter
 * 0.4-like) and are recorded in provenance.
 *
 * @param contrast half-width of the contrast factor's range (0 = none)
 * @param shift half-width of the per-channel shift, in normalised units (0 = none)
 */
public record PhotometricJitter(double contrast, double shift) {
    /** The kit's default strengths. */
    public static final PhotometricJitter DEFAULT = new PhotometricJitter(0.4, 0.4);

    /** A jitter that changes nothing (the identity view, for tests). */
    public static final PhotometricJitter NONE = new PhotometricJitter(0, 0);

    public PhotometricJitter {
        if (!(contrast >= 0 && contrast < 1) || !(shift >= 0)) {
            throw new IllegalArgumentException("photometric jitter needs 0 <= contrast < 1 and"
                    + " shift >= 0, got contrast " + contrast + ", shift " + shift);
        }
    }

    /** Jitters normalised images [B, 3, H, W]; the same (seed, step) gives the same view. */
    public NDArray apply(NDArray images, long seed, long step) {
        Shape s = images.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("images must be [B, C, H, W], got " + s);
        }
        int b = (int) s.get(0);
        int ch = (int) s.get(1);
        float[] scale = new float[b];
        float[] offset = new float[b * ch];
        for (int i = 0; i < b; i++) {
            // An own stream per image: a different batch size does not shift other images' draws.
            SplittableRandom r = Seeds.random(seed, step, Seeds.Stream.AUGMENT, 0xAC40L + i);
            scale[i] = (float) (1 + contrast * (2 * r.nextDouble() - 1));
            for (int c = 0; c < ch; c++) {
                offset[i * ch + c] = (float) (shift * (2 * r.nextDouble() - 1));
            }
        }
        NDArray a = images.getManager().create(scale, new Shape(b, 1, 1, 1));
        NDArray off = images.getManager().create(offset, new Shape(b, ch, 1, 1));
        NDArray flat = images.reshape(b, ch, s.get(2) * s.get(3));
        NDArray mean = flat.mean(new int[] {2}, true).reshape(b, ch, 1, 1);
        return images.sub(mean).mul(a).add(mean).add(off);
    }
}
