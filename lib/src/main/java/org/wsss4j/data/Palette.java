package org.wsss4j.data;

import java.awt.image.IndexColorModel;

/** PASCAL VOC's 256-entry colour map (bit-interleaved label → RGB), used for every mask PNG. */
public final class Palette {
    private static final byte[] R = new byte[256];
    private static final byte[] G = new byte[256];
    private static final byte[] B = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = 0, g = 0, b = 0, c = i;
            for (int j = 0; j < 8; j++) {
                r |= ((c >> 0) & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            R[i] = (byte) r;
            G[i] = (byte) g;
            B[i] = (byte) b;
        }
    }

    private Palette() {}

    /** RGB of label value {@code index} packed as 0xRRGGBB. */
    public static int rgb(int index) {
        return ((R[index] & 0xFF) << 16) | ((G[index] & 0xFF) << 8) | (B[index] & 0xFF);
    }

    public static IndexColorModel colorModel() {
        return new IndexColorModel(8, 256, R, G, B);
    }
}
