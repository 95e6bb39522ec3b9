package org.wsss4j.methods.acr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

class TokenFlipTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    @Test
    void permutationReversesColumnsInsideEveryRow() {
        // 2 x 3 grid: row 0 = tokens 0 1 2, row 1 = tokens 3 4 5
        assertArrayEquals(new int[] {2, 1, 0, 5, 4, 3}, TokenFlip.permutation(2, 3));
        int gh = 3, gw = 4;
        int[] perm = TokenFlip.permutation(gh, gw);
        for (int i = 0; i < gh; i++) {
            for (int j = 0; j < gw; j++) {
                assertEquals(i * gw + (gw - 1 - j), perm[i * gw + j]);
                assertEquals(i * gw + j, perm[perm[i * gw + j]], "an involution");
            }
        }
    }

    @Test
    void classToPatchRowsArePermutedOnTheKeyAxis() {
        int gh = 2, gw = 3, hw = 6;
        int[] perm = TokenFlip.permutation(gh, gw);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[] v = new float[2 * hw];
            for (int c = 0; c < 2; c++) {
                for (int k = 0; k < hw; k++) {
                    v[c * hw + k] = 100 * c + k;
                }
            }
            NDArray x = m.create(v, new Shape(1, 2, hw));
            float[] y = TokenFlip.keys(x, gh, gw).toFloatArray();
            for (int c = 0; c < 2; c++) {
                for (int k = 0; k < hw; k++) {
                    assertEquals(100 * c + perm[k], y[c * hw + k], 0f);
                }
            }
        }
    }

    @Test
    void patchToPatchMapsArePermutedOnBothAxes() {
        int gh = 3, gw = 2, hw = 6;
        int[] perm = TokenFlip.permutation(gh, gw);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[] v = new float[2 * hw * hw];
            for (int b = 0; b < 2; b++) {
                for (int q = 0; q < hw; q++) {
                    for (int k = 0; k < hw; k++) {
                        v[(b * hw + q) * hw + k] = 10000 * b + 100 * q + k;
                    }
                }
            }
            NDArray x = m.create(v, new Shape(2, hw, hw));
            NDArray flipped = TokenFlip.queriesAndKeys(x, gh, gw);
            float[] y = flipped.toFloatArray();
            for (int b = 0; b < 2; b++) {
                for (int q = 0; q < hw; q++) {
                    for (int k = 0; k < hw; k++) {
                        assertEquals(10000 * b + 100 * perm[q] + perm[k],
                                y[(b * hw + q) * hw + k], 0f, "entry " + q + "," + k);
                    }
                }
            }
            assertArrayEquals(v, TokenFlip.queriesAndKeys(flipped, gh, gw).toFloatArray(), 0f);
        }
    }

    @Test
    void wrongSizesFailNamingTheShape() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TokenFlip.keys(m.zeros(new Shape(1, 2, 5)), 2, 3));
            assertEquals(true, e.getMessage().contains("(1, 2, 5)"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> TokenFlip.queriesAndKeys(m.zeros(new Shape(1, 6, 5)), 2, 3));
        }
    }
}
