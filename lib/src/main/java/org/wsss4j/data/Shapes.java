package org.wsss4j.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Integer point-in-shape tests for the synthetic bodies and their parts. Shapes are evaluated in
 * doubled bounding-box coordinates X = 2x + 1 - w, Y = 2y + 1 - h (pixel centres, origin at the
 * box centre), so a box of w x h has half-extents A = w, B = h and every test is exact.
 */
final class Shapes {
    private Shapes() {}

    static boolean inEllipse(long x, long y, long a, long b) {
        return x * x * b * b + y * y * a * a <= a * a * b * b;
    }

    /** Mask of a body of {@code family} filling a w x h box (row-major). */
    static boolean[] body(int family, int w, int h, SplittableRandom rnd) {
        long a = w, b = h;
        boolean[] m = new boolean[w * h];
        long[][] lobes = null;
        if (family == 3) {
            lobes = new long[3][3];
            for (long[] lobe : lobes) {
                lobe[0] = rnd.nextInt(w + 1) - w / 2; // centre X within +-A/2
                lobe[1] = rnd.nextInt(h + 1) - h / 2;
                lobe[2] = Math.min(w, h) * (35 + rnd.nextInt(16)) / 100 * 2; // radius
            }
        }
        long r = Math.min(a, b) / 2; // rounded-box corner radius
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                long X = 2L * x + 1 - w, Y = 2L * y + 1 - h;
                long ax = Math.abs(X), ay = Math.abs(Y);
                boolean in;
                switch (family) {
                    case 0: // oval
                        in = inEllipse(X, Y, a, b);
                        break;
                    case 1: // box with rounded corners
                        in = ax <= a - r || ay <= b - r
                                || (ax - (a - r)) * (ax - (a - r)) + (ay - (b - r)) * (ay - (b - r))
                                        <= r * r;
                        break;
                    case 2: // wedge: apex at the top centre, base along the bottom
                        in = ax * 2 * b <= a * (Y + b);
                        break;
                    case 3: // blob: a core ellipse and three overlapping discs
                        in = inEllipse(X, Y, a * 3 / 4, b * 3 / 4);
                        for (int i = 0; !in && i < lobes.length; i++) {
                            long dx = X - lobes[i][0], dy = Y - lobes[i][1];
                            in = dx * dx + dy * dy <= lobes[i][2] * lobes[i][2];
                        }
                        break;
                    default: // diamond
                        in = ax * b + ay * a <= a * b;
                        break;
                }
                m[y * w + x] = in;
            }
        }
        return m;
    }

    /**
     * The discriminative part: the {@code target} body pixels nearest an anchor, by Euclidean
     * distance (a disc) or, for striped classes, Chebyshev distance (a square), clipped to the
     * body. Choosing pixels by rank rather than by a radius gives the exact part area. The anchor
     * is the left (side -1) or right (+1) end of a body row in the middle half, or (side 0) a
     * body pixel on the vertical mid-line.
     */
    static boolean[] part(
            boolean[] body, int w, int h, int target, int side, boolean square,
            SplittableRandom rnd) {
        int ax, ay;
        if (side == 0) {
            ax = w / 2;
            int count = 0;
            for (int y = 0; y < h; y++) {
                count += body[y * w + ax] ? 1 : 0;
            }
            // Middle half of the centre column (every family covers it): an anchor on the rim
            // would flatten the part into a sliver too thin for the token grid.
            int k = count / 4 + rnd.nextInt(Math.max(1, count / 2));
            ay = -1;
            for (int y = 0; y < h; y++) {
                if (body[y * w + ax] && k-- == 0) {
                    ay = y;
                    break;
                }
            }
        } else {
            ay = h / 4 + rnd.nextInt(Math.max(1, h / 2));
            while (rowEmpty(body, w, ay)) {
                ay = (ay + 1) % h; // cannot loop forever: the body is not empty
            }
            ax = -1;
            for (int i = 0; i < w; i++) {
                int x = side < 0 ? i : w - 1 - i;
                if (body[ay * w + x]) {
                    ax = x;
                    break;
                }
            }
        }
        long size = (long) w * h;
        long[] keys = new long[w * h];
        int k = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (body[y * w + x]) {
                    long dx = Math.abs(x - ax), dy = Math.abs(y - ay);
                    long d = square ? Math.max(dx, dy) : dx * dx + dy * dy;
                    keys[k++] = d * size + (y * w + x); // ties broken by raster order
                }
            }
        }
        Arrays.sort(keys, 0, k);
        boolean[] m = new boolean[w * h];
        for (int i = 0; i < Math.min(target, k); i++) {
            m[(int) (keys[i] % size)] = true;
        }
        return m;
    }

    private static boolean rowEmpty(boolean[] body, int w, int y) {
        for (int x = 0; x < w; x++) {
            if (body[y * w + x]) {
                return false;
            }
        }
        return true;
    }

    /** Colour of body pixel (x, y): a family texture over a class-independent colour. */
    static int bodyTexture(
            int family, int color, int x, int y, int w, int h, int grid, SplittableRandom rnd) {
        switch (family) {
            case 0: // oval: lit from above
                return Colors.shade(color, (h / 2 - y) * 50 / h);
            case 1: // box: grid lines
                return x % grid == grid / 2 || y % grid == grid / 2
                        ? Colors.shade(color, -40) : color;
            case 2: // wedge: speckle
                return Colors.shade(color, rnd.nextInt(51) - 25);
            case 3: { // blob: light spots on a lattice
                int dx = x % grid - grid / 2, dy = y % grid - grid / 2, r = Math.max(1, grid / 4);
                return dx * dx + dy * dy <= r * r ? Colors.shade(color, 40) : color;
            }
            default: // diamond: diagonal hatching
                return (x + y) % grid < Math.max(1, grid / 3) ? Colors.shade(color, -35) : color;
        }
    }
}
