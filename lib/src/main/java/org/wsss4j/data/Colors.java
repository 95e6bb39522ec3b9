package org.wsss4j.data;

/** Integer colour arithmetic on packed 0xRRGGBB values (no floating point: same bytes anywhere). */
final class Colors {
    private Colors() {}

    static int rgb(int r, int g, int b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    static int clamp(int v) {
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }

    /** HSV to RGB: hue in degrees 0..359, saturation and value 0..255. */
    static int hsv(int h, int s, int v) {
        if (s == 0) {
            return rgb(v, v, v);
        }
        int region = h / 60;
        int rem = (h - region * 60) * 255 / 60;
        int p = v * (255 - s) / 255;
        int q = v * (255 - s * rem / 255) / 255;
        int t = v * (255 - s * (255 - rem) / 255) / 255;
        switch (region) {
            case 0:
                return rgb(v, t, p);
            case 1:
                return rgb(q, v, p);
            case 2:
                return rgb(p, v, t);
            case 3:
                return rgb(p, q, v);
            case 4:
                return rgb(t, p, v);
            default:
                return rgb(v, p, q);
        }
    }

    /** a + (b - a) * t / 256 per channel, t in 0..256. */
    static int mix(int a, int b, int t) {
        return rgb(
                ch(a, 16) + (ch(b, 16) - ch(a, 16)) * t / 256,
                ch(a, 8) + (ch(b, 8) - ch(a, 8)) * t / 256,
                ch(a, 0) + (ch(b, 0) - ch(a, 0)) * t / 256);
    }

    /** Adds {@code delta} to every channel, clamped. */
    static int shade(int c, int delta) {
        return rgb(ch(c, 16) + delta, ch(c, 8) + delta, ch(c, 0) + delta);
    }

    private static int ch(int c, int shift) {
        return (c >> shift) & 0xFF;
    }
}
