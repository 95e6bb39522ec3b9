package org.wsss4j.experiments;

import org.wsss4j.data.IndexedPng;

/** Ground-truth label maps brought down to the token grid (for attention analyses only). */
public final class TokenGrid {
    private TokenGrid() {}

    /**
     * The majority label of each token's pixel cell (255 = ignore wins only when it is the
     * majority), row-major over gh × gw.
     */
    public static int[] majority(IndexedPng.LabelMap map, int gh, int gw) {
        int[] out = new int[gh * gw];
        int[] counts = new int[256];
        for (int ty = 0; ty < gh; ty++) {
            for (int tx = 0; tx < gw; tx++) {
                java.util.Arrays.fill(counts, 0);
                int y0 = ty * map.height() / gh, y1 = (ty + 1) * map.height() / gh;
                int x0 = tx * map.width() / gw, x1 = (tx + 1) * map.width() / gw;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        counts[map.at(x, y)]++;
                    }
                }
                int best = 0;
                for (int v = 1; v < 256; v++) {
                    if (counts[v] > counts[best]) {
                        best = v;
                    }
                }
                out[ty * gw + tx] = best;
            }
        }
        return out;
    }
}
