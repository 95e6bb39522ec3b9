package org.wsss4j.data.coco;

import java.util.ArrayList;
import java.util.List;

/**
 * COCO's run-length encoding of binary masks, as pycocotools defines it (common/maskApi.c).
 *
 * <p>A mask of height {@code h} and width {@code w} is read in <b>column-major</b> order (pixel
 * (x, y) is position {@code x * h + y}); {@code counts} are the lengths of alternating runs,
 * starting with a run of 0s (which may be empty). The canonical form has every count &gt; 0 except
 * possibly the first, and counts summing to {@code h * w}.
 *
 * <p>Annotation files carry RLE in two forms: "uncompressed" ({@code "counts": [int, ...]}, used for
 * {@code iscrowd} objects in the COCO 2014 instances files) and "compressed" ({@code "counts":
 * "string"}). The string form stores each count in 6-bit characters (ASCII 48..111): 5 data bits and
 * a continuation bit (0x20), least significant group first, the last group's 0x10 bit being the sign
 * (as in signed LEB128); from the third count on, the value stored is the difference to the count two
 * places before.
 *
 * <p>Masks handed in and out of this class are <b>row-major</b> ({@code mask[y * w + x]}, 0 or 1), the
 * layout of {@link org.wsss4j.data.IndexedPng.LabelMap}.
 */
public final class CocoRle {
    private CocoRle() {}

    /** Decodes COCO's compressed counts string into counts; fails naming the bad character. */
    public static long[] decodeString(String s) {
        List<Long> counts = new ArrayList<>();
        int p = 0;
        while (p < s.length()) {
            long value = 0;
            int shift = 0;
            boolean more = true;
            while (more) {
                if (p >= s.length()) {
                    throw new IllegalArgumentException(
                            "compressed RLE ends inside a count (continuation bit set on the last"
                                    + " character)");
                }
                int c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException(
                            "compressed RLE has character '" + s.charAt(p) + "' at " + p
                                    + " outside '0'..'o'");
                }
                value |= (long) (c & 0x1f) << shift;
                more = (c & 0x20) != 0;
                p++;
                shift += 5;
                if (!more && (c & 0x10) != 0) {
                    value |= -1L << shift; // sign-extend the last 5-bit group
                }
            }
            int m = counts.size();
            if (m > 2) {
                value += counts.get(m - 2);
            }
            counts.add(value);
        }
        long[] out = new long[counts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts.get(i);
        }
        return out;
    }

    /** Encodes counts into COCO's compressed string (the inverse of {@link #decodeString}). */
    public static String encodeString(long[] counts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5; // arithmetic shift keeps the sign, as the format needs
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                sb.append((char) (c + 48));
            }
        }
        return sb.toString();
    }

    /**
     * Expands counts into a row-major 0/1 mask of {@code h × w}; fails when the counts are negative or
     * do not sum to {@code h * w} (pycocotools would silently read past or short of the mask).
     */
    public static byte[] decode(long[] counts, int h, int w) {
        byte[] mask = new byte[h * w];
        decodeInto(counts, h, w, mask);
        return mask;
    }

    /** Sets to 1 the pixels of {@code mask} (row-major, h × w) that the counts mark; others stay. */
    public static void decodeInto(long[] counts, int h, int w, byte[] mask) {
        long total = (long) h * w;
        long sum = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("RLE has a negative count " + c);
            }
            sum += c;
        }
        if (sum != total) {
            throw new IllegalArgumentException(
                    "RLE counts sum to " + sum + " but the mask has " + h + "x" + w + " = " + total
                            + " pixels");
        }
        if (mask.length != total) {
            throw new IllegalArgumentException("mask has " + mask.length + " pixels, expected " + total);
        }
        long pos = 0;
        boolean on = false;
        for (long c : counts) {
            if (on && c > 0) {
                // Walk the run down its columns without a division per pixel.
                int x = (int) (pos / h);
                int y = (int) (pos % h);
                for (long q = 0; q < c; q++) {
                    mask[y * w + x] = 1;
                    if (++y == h) {
                        y = 0;
                        x++;
                    }
                }
            }
            pos += c;
            on = !on;
        }
    }

    /** Canonical column-major counts of a row-major 0/1 mask (any non-zero byte counts as 1). */
    public static long[] encode(byte[] mask, int h, int w) {
        if (mask.length != h * w) {
            throw new IllegalArgumentException(
                    "mask has " + mask.length + " pixels, expected " + h + "x" + w);
        }
        List<Long> counts = new ArrayList<>();
        boolean current = false;
        long run = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                boolean v = mask[y * w + x] != 0;
                if (v != current) {
                    counts.add(run);
                    run = 0;
                    current = v;
                }
                run++;
            }
        }
        counts.add(run);
        long[] out = new long[counts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts.get(i);
        }
        return out;
    }
}
