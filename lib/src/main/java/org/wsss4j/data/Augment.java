package org.wsss4j.data;

import java.util.SplittableRandom;
import org.wsss4j.runtime.Profile;
import org.wsss4j.runtime.Seeds;

/**
 * Training augmentation: random resize, random crop to a square, horizontal flip and colour
 * jitter, producing normalised CHW floats. Two framings: the kit's rescale-and-pad (synthetic
 * profiles) and timm's RandomResizedCrop ({@link ResizedCrop}; the real-data profiles, as in
 * MCTformer's and AReAM's training pipeline, methods.md §1.4).
 *
 * <p>Every draw of sample j of step s comes from {@code
 * Seeds.random(seed, s, AUGMENT, j)}, so a resumed run redraws exactly the same crops.
 *
 * <p>Rescale-and-pad: the image is resized so its longer side is {@code scale * cropSize} (scale
 * uniform in [minScale, maxScale], bilinear, PyTorch's align_corners=False), then a cropSize
 * square is taken at a uniform offset; where the resized image is smaller the rest is padding
 * with value 0 after normalisation (the mean colour). Jitter multiplies brightness, blends
 * towards the crop's mean grey (contrast) and towards each pixel's grey (saturation) by factors
 * uniform in 1 ± strength, in that fixed order. Hue is never jittered: it is the synthetic
 * classes' cue.
 *
 * @param cropSize side of the output square (the profile's image size)
 * @param minScale smallest resize factor of the longer side relative to cropSize
 * @param maxScale largest resize factor
 * @param flipProb probability of a horizontal flip
 * @param brightness brightness jitter strength (0 = off)
 * @param contrast contrast jitter strength (0 = off)
 * @param saturation saturation jitter strength (0 = off)
 * @param resizedCrop timm's RandomResizedCrop framing, or null for rescale-and-pad (then
 *     minScale and maxScale apply)
 */
public record Augment(
        int cropSize,
        double minScale,
        double maxScale,
        double flipProb,
        double brightness,
        double contrast,
        double saturation,
        ResizedCrop resizedCrop) {

    /**
     * timm's RandomResizedCrop: a region of a uniform share of the image's area in [minArea,
     * maxArea] and a log-uniform aspect ratio in [minRatio, maxRatio] is resized to the crop
     * square; after ten draws that do not fit, the whole image clipped to the ratio range, centred.
     */
    public record ResizedCrop(double minArea, double maxArea, double minRatio, double maxRatio) {
        public ResizedCrop {
            if (!(minArea > 0) || !(maxArea >= minArea) || !(maxArea <= 1)) {
                throw new IllegalArgumentException("augment: crop area range [" + minArea + ", "
                        + maxArea + "] must satisfy 0 < minArea <= maxArea <= 1");
            }
            if (!(minRatio > 0) || !(maxRatio >= minRatio)) {
                throw new IllegalArgumentException("augment: crop ratio range [" + minRatio
                        + ", " + maxRatio + "] must satisfy 0 < minRatio <= maxRatio");
            }
        }

        /** timm's defaults: area 0.08–1, ratio 3/4–4/3. */
        public static ResizedCrop timm() {
            return new ResizedCrop(0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
        }
    }

    /** The rescale-and-pad framing. */
    public Augment(int cropSize, double minScale, double maxScale, double flipProb,
            double brightness, double contrast, double saturation) {
        this(cropSize, minScale, maxScale, flipProb, brightness, contrast, saturation, null);
    }

    public Augment {
        if (cropSize < 1) {
            throw new IllegalArgumentException("augment: cropSize = " + cropSize + " must be >= 1");
        }
        if (!(minScale > 0) || !(maxScale >= minScale)) {
            throw new IllegalArgumentException("augment: scale range [" + minScale + ", "
                    + maxScale + "] must satisfy 0 < minScale <= maxScale");
        }
        if (!(flipProb >= 0 && flipProb <= 1)) {
            throw new IllegalArgumentException("augment: flipProb = " + flipProb + " must be in 0..1");
        }
        for (double s : new double[] {brightness, contrast, saturation}) {
            if (!(s >= 0 && s < 1)) {
                throw new IllegalArgumentException(
                        "augment: jitter strength " + s + " must be in [0, 1)");
            }
        }
    }

    /**
     * Defaults for the synthetic set: scale 0.8–1.2 (objects stay mostly inside the crop, so the
     * image-level labels stay true), flip 0.5, brightness/contrast/saturation 0.2 each.
     */
    public static Augment defaults(int cropSize) {
        return new Augment(cropSize, 0.8, 1.2, 0.5, 0.2, 0.2, 0.2);
    }

    /**
     * timm's training framing for real photographs: RandomResizedCrop (area 0.08–1, ratio
     * 3/4–4/3), flip 0.5 and the kit's jitter. MCTformer also applies RandAugment and random
     * erasing (p 0.25), which the kit does not implement; its jitter stands in for RandAugment's
     * photometric operations.
     */
    public static Augment imagenetStyle(int cropSize) {
        Augment d = defaults(cropSize);
        return new Augment(cropSize, 1.0, 1.0, d.flipProb, d.brightness, d.contrast,
                d.saturation, ResizedCrop.timm());
    }

    /**
     * The profile's framing: rescale-and-pad for the synthetic benchmark, whose image-level labels
     * stay true only while objects stay in the crop; timm's for VOC and COCO (the papers' recipe).
     */
    public static Augment forProfile(Profile p) {
        return p.dataset() == Profile.Dataset.SYNTHETIC
                ? defaults(p.imageSize())
                : imagenetStyle(p.imageSize());
    }

    /**
     * A stable description for cache keys: the rescale-and-pad framing is described as it was
     * before the resized crop existed, so checkpoints cached under it stay valid.
     */
    public String describe() {
        String base = "Augment[cropSize=" + cropSize + ", minScale=" + minScale + ", maxScale="
                + maxScale + ", flipProb=" + flipProb + ", brightness=" + brightness
                + ", contrast=" + contrast + ", saturation=" + saturation;
        return base + (resizedCrop == null ? "]" : ", resizedCrop=" + resizedCrop + "]");
    }

    /**
     * No scale change, flip or jitter: the longer side is resized to cropSize (a non-square
     * image still sits at a seeded offset inside the padding). A square image of cropSize comes
     * out as {@link ImageTensors#toChw} gives it.
     */
    public static Augment none(int cropSize) {
        return new Augment(cropSize, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0);
    }

    /** Augmented normalised [3, cropSize, cropSize] floats of sample j of step s. */
    public float[] apply(RgbImage img, long seed, long step, int sampleIndex) {
        float[] out = new float[3 * cropSize * cropSize];
        apply(img, Seeds.random(seed, step, Seeds.Stream.AUGMENT, sampleIndex), out, 0);
        return out;
    }

    /**
     * Writes the augmented sample into {@code out[offset ..]}, drawing from {@code rnd} in a fixed
     * order (the framing's draws, flip, brightness, contrast, saturation).
     */
    public void apply(RgbImage img, SplittableRandom rnd, float[] out, int offset) {
        int s = cropSize, w = img.width(), h = img.height();
        Geometry geo = geometry(w, h, rnd);
        int rw = geo.resizedWidth(), rh = geo.resizedHeight();
        int ox = geo.offsetX(), oy = geo.offsetY();
        boolean flip = geo.flip();
        float b = (float) (1 + (2 * rnd.nextDouble() - 1) * brightness);
        float c = (float) (1 + (2 * rnd.nextDouble() - 1) * contrast);
        float sat = (float) (1 + (2 * rnd.nextDouble() - 1) * saturation);

        Taps tx = Taps.of(w, rw), ty = Taps.of(h, rh);
        int[] x0 = tx.lo(), x1 = tx.hi(), y0 = ty.lo(), y1 = ty.hi();
        float[] fx = tx.frac(), fy = ty.frac();
        byte[] rgb = img.rgb();

        // Pass 1: resized, cropped, flipped, brightness-scaled intensities in 0..1.
        float[] px = new float[3 * s * s];
        boolean[] valid = new boolean[s * s];
        double greySum = 0;
        int count = 0;
        for (int y = 0; y < s; y++) {
            int v = y + oy;
            if (v < 0 || v >= rh) {
                continue;
            }
            for (int x = 0; x < s; x++) {
                int u = (flip ? s - 1 - x : x) + ox;
                if (u < 0 || u >= rw) {
                    continue;
                }
                int a = 3 * (y0[v] * w + x0[u]), bb = 3 * (y0[v] * w + x1[u]);
                int cc = 3 * (y1[v] * w + x0[u]), d = 3 * (y1[v] * w + x1[u]);
                float wx = fx[u], wy = fy[v];
                int p = y * s + x;
                for (int ch = 0; ch < 3; ch++) {
                    float top = (rgb[a + ch] & 0xFF) * (1 - wx) + (rgb[bb + ch] & 0xFF) * wx;
                    float bot = (rgb[cc + ch] & 0xFF) * (1 - wx) + (rgb[d + ch] & 0xFF) * wx;
                    px[3 * p + ch] = clamp((top * (1 - wy) + bot * wy) / 255f * b);
                }
                valid[p] = true;
                greySum += grey(px, p);
                count++;
            }
        }
        float meanGrey = count == 0 ? 0f : (float) (greySum / count);

        // Pass 2: contrast, saturation, normalisation; padding stays 0 (the mean colour).
        int plane = s * s;
        for (int p = 0; p < plane; p++) {
            if (!valid[p]) {
                for (int ch = 0; ch < 3; ch++) {
                    out[offset + ch * plane + p] = 0f;
                }
                continue;
            }
            for (int ch = 0; ch < 3; ch++) {
                px[3 * p + ch] = clamp((px[3 * p + ch] - meanGrey) * c + meanGrey);
            }
            float g = grey(px, p);
            for (int ch = 0; ch < 3; ch++) {
                float v = clamp((px[3 * p + ch] - g) * sat + g);
                out[offset + ch * plane + p] = Normalization.normalize(v, ch);
            }
        }
    }

    /**
     * Where a sample's pixels come from: the image resized to {@code resizedWidth × resizedHeight},
     * the crop's top-left corner at ({@code offsetX}, {@code offsetY}) in it (negative: the image
     * sits inside padding), then mirrored if {@code flip}.
     */
    public record Geometry(int resizedWidth, int resizedHeight, int offsetX, int offsetY,
            boolean flip) {}

    /**
     * The geometric draws of a sample (the framing's draws, then flip: the first draws of
     * {@link #apply(RgbImage, SplittableRandom, float[], int)}) for a {@code width × height}
     * image. Called with a generator seeded as apply's, it returns the geometry apply used, so
     * maps made once per image (SMAF's offline teacher) can follow the image through the crop.
     */
    public Geometry geometry(int width, int height, SplittableRandom rnd) {
        if (resizedCrop != null) {
            return resizedCropGeometry(width, height, rnd);
        }
        int s = cropSize;
        double scale = minScale + rnd.nextDouble() * (maxScale - minScale);
        double target = scale * s / Math.max(width, height);
        int rw = ImageTensors.scaledSize(width, target);
        int rh = ImageTensors.scaledSize(height, target);
        int ox = rw >= s ? rnd.nextInt(rw - s + 1) : -rnd.nextInt(s - rw + 1);
        int oy = rh >= s ? rnd.nextInt(rh - s + 1) : -rnd.nextInt(s - rh + 1);
        boolean flip = rnd.nextDouble() < flipProb;
        return new Geometry(rw, rh, ox, oy, flip);
    }

    /**
     * timm's draws (area share, then log ratio, up to ten times; then the offsets), expressed as
     * the whole image resized so that the chosen region becomes the crop square: the same
     * Geometry, and so the same {@link #warp}, as the rescale-and-pad framing.
     */
    private Geometry resizedCropGeometry(int width, int height, SplittableRandom rnd) {
        ResizedCrop rc = resizedCrop;
        double area = (double) width * height;
        double logLo = Math.log(rc.minRatio()), logHi = Math.log(rc.maxRatio());
        int cw = -1, ch = -1, cx = 0, cy = 0;
        for (int attempt = 0; attempt < 10 && cw < 0; attempt++) {
            double share = rc.minArea() + rnd.nextDouble() * (rc.maxArea() - rc.minArea());
            double target = area * share;
            double ratio = Math.exp(logLo + rnd.nextDouble() * (logHi - logLo));
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                cw = w;
                ch = h;
                cx = rnd.nextInt(width - w + 1);
                cy = rnd.nextInt(height - h + 1);
            }
        }
        if (cw < 0) {
            double in = (double) width / height;
            cw = in > rc.maxRatio() ? (int) Math.round(height * rc.maxRatio()) : width;
            ch = in < rc.minRatio() ? (int) Math.round(width / rc.minRatio()) : height;
            cx = (width - cw) / 2;
            cy = (height - ch) / 2;
        }
        int s = cropSize;
        int rw = Math.max(s, (int) Math.round((double) width * s / cw));
        int rh = Math.max(s, (int) Math.round((double) height * s / ch));
        int ox = Math.min(rw - s, (int) Math.round((double) cx * s / cw));
        int oy = Math.min(rh - s, (int) Math.round((double) cy * s / ch));
        boolean flip = rnd.nextDouble() < flipProb;
        return new Geometry(rw, rh, ox, oy, flip);
    }

    /** The geometry of sample j of step s of a run seeded {@code seed} (as {@link #apply(RgbImage, long, long, int)}). */
    public Geometry geometry(int width, int height, long seed, long step, int sampleIndex) {
        return geometry(width, height, Seeds.random(seed, step, Seeds.Stream.AUGMENT, sampleIndex));
    }

    /**
     * Moves per-pixel maps of an image through {@code g} exactly as {@link #apply} moves its
     * pixels (bilinear resize, crop, flip); padding becomes 0. The maps may be coarser than the
     * image (a map on a grid over it): they are then resized straight to the resized image's
     * size, as the image was.
     *
     * @param maps {@code channels} planes of width × height, channel-major
     * @param width the maps' width (the image's, or a coarser grid's over the same extent)
     * @param height the maps' height
     * @return {@code channels} planes of cropSize × cropSize
     */
    public float[] warp(float[] maps, int channels, int width, int height, Geometry g) {
        if (maps.length != channels * width * height) {
            throw new IllegalArgumentException("warp: " + maps.length + " values are not "
                    + channels + " planes of " + width + "x" + height);
        }
        int s = cropSize, rw = g.resizedWidth(), rh = g.resizedHeight();
        Taps tx = Taps.of(width, rw), ty = Taps.of(height, rh);
        int[] x0 = tx.lo(), x1 = tx.hi(), y0 = ty.lo(), y1 = ty.hi();
        float[] fx = tx.frac(), fy = ty.frac();
        float[] out = new float[channels * s * s];
        int in = width * height;
        for (int y = 0; y < s; y++) {
            int v = y + g.offsetY();
            if (v < 0 || v >= rh) {
                continue;
            }
            for (int x = 0; x < s; x++) {
                int u = (g.flip() ? s - 1 - x : x) + g.offsetX();
                if (u < 0 || u >= rw) {
                    continue;
                }
                int a = y0[v] * width + x0[u], bb = y0[v] * width + x1[u];
                int cc = y1[v] * width + x0[u], d = y1[v] * width + x1[u];
                float wx = fx[u], wy = fy[v];
                for (int ch = 0; ch < channels; ch++) {
                    int o = ch * in;
                    float top = maps[o + a] * (1 - wx) + maps[o + bb] * wx;
                    float bot = maps[o + cc] * (1 - wx) + maps[o + d] * wx;
                    out[ch * s * s + y * s + x] = top * (1 - wy) + bot * wy;
                }
            }
        }
        return out;
    }

    /** Bilinear taps of a resize along one axis (PyTorch's align_corners=False). */
    private record Taps(int[] lo, int[] hi, float[] frac) {
        static Taps of(int in, int out) {
            Taps t = new Taps(new int[out], new int[out], new float[out]);
            ImageTensors.axis(in, out, t.lo, t.hi, t.frac);
            return t;
        }
    }

    /** ITU-R 601 luma, as torchvision's rgb_to_grayscale. */
    private static float grey(float[] px, int p) {
        return 0.299f * px[3 * p] + 0.587f * px[3 * p + 1] + 0.114f * px[3 * p + 2];
    }

    private static float clamp(float v) {
        return v < 0f ? 0f : v > 1f ? 1f : v;
    }
}
