package org.wsss4j.methods.adcam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

/**
 * Block and head selection on a hand-built tensor whose every entry encodes where it came from:
 * {@code value = 10000·image + 1000·block + 100·head + 10·row + column}.
 */
class AttentionSourceTest {
    private static final int B = 2, H = 2, C = 2, HW = 4, N = C + HW, L = 4;
    private static NDManager manager;
    private static List<NDArray> blocks;

    @BeforeAll
    static void start() {
        Engines.init();
        manager = NDManager.newBaseManager(Engines.device());
        blocks = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            float[] v = new float[B * H * N * N];
            int k = 0;
            for (int b = 0; b < B; b++) {
                for (int h = 0; h < H; h++) {
                    for (int i = 0; i < N; i++) {
                        for (int j = 0; j < N; j++) {
                            v[k++] = code(b, l, h, i, j);
                        }
                    }
                }
            }
            blocks.add(manager.create(v, new Shape(B, H, N, N)));
        }
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static float code(int image, int block, int head, int row, int col) {
        return 10000 * image + 1000 * block + 100 * head + 10 * row + col;
    }

    @Test
    void patchToPatchAveragesChosenBlocksAndHeads() {
        float[] got = AttentionSource.meanOf(1, 3).patchToPatch(blocks, C).toFloatArray();
        assertEquals(B * HW * HW, got.length);
        int k = 0;
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < HW; i++) {
                for (int j = 0; j < HW; j++) {
                    // mean over blocks {1, 3} = 2000, over heads {0, 1} = 50; class tokens skipped
                    float want = 10000 * b + 2000 + 50 + 10 * (i + C) + (j + C);
                    assertEquals(want, got[k++], 1e-3, "image " + b + " (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void allHeadsKeepsEachHead() {
        NDArray out = AttentionSource.of(AttentionSource.Heads.ALL, 2).patchToPatch(blocks, C);
        assertEquals(new Shape(B, H, HW, HW), out.getShape());
        float[] got = out.toFloatArray();
        int k = 0;
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int i = 0; i < HW; i++) {
                    for (int j = 0; j < HW; j++) {
                        assertEquals(code(b, 2, h, i + C, j + C), got[k++], 1e-3);
                    }
                }
            }
        }
    }

    @Test
    void classToPatchTakesClassRowsAndPatchColumns() {
        NDArray out = AttentionSource.meanOf(0, 1).classToPatch(blocks, C);
        assertEquals(new Shape(B, C, HW), out.getShape());
        float[] got = out.toFloatArray();
        int k = 0;
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                for (int j = 0; j < HW; j++) {
                    assertEquals(10000 * b + 500 + 50 + 10 * c + (j + C), got[k++], 1e-3);
                }
            }
        }
    }

    @Test
    void stackedPatchAttentionIsSelectedTheSameWay() {
        // [B, L, H, HW, HW], already patch-to-patch: value = code(image, block, head, row, col).
        float[] v = new float[B * L * H * HW * HW];
        int k = 0;
        for (int b = 0; b < B; b++) {
            for (int l = 0; l < L; l++) {
                for (int h = 0; h < H; h++) {
                    for (int i = 0; i < HW; i++) {
                        for (int j = 0; j < HW; j++) {
                            v[k++] = code(b, l, h, i, j);
                        }
                    }
                }
            }
        }
        NDArray stacked = manager.create(v, new Shape(B, L, H, HW, HW));
        float[] got = AttentionSource.meanOf(3, 1).reduceStacked(stacked).toFloatArray();
        k = 0;
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < HW; i++) {
                for (int j = 0; j < HW; j++) {
                    assertEquals(10000 * b + 2050 + 10 * i + j, got[k++], 1e-3);
                }
            }
        }
        NDArray perHead =
                AttentionSource.of(AttentionSource.Heads.ALL, 0).reduceStacked(stacked);
        assertEquals(new Shape(B, H, HW, HW), perHead.getShape());
        assertEquals(code(1, 0, 1, 3, 2), perHead.getFloat(1, 1, 3, 2), 1e-3);
        var ex = assertThrows(IllegalArgumentException.class,
                () -> AttentionSource.meanOf(4).reduceStacked(stacked));
        assertTrue(ex.getMessage().contains("block 4") && ex.getMessage().contains("4 blocks"),
                ex.getMessage());
    }

    @Test
    void badSelectionsNameTheProblem() {
        var ex = assertThrows(IllegalArgumentException.class,
                () -> AttentionSource.meanOf(1, 5).patchToPatch(blocks, C));
        assertTrue(ex.getMessage().contains("block 5"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> AttentionSource.meanOf(2, 2));
        assertTrue(ex.getMessage().contains("twice"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AttentionSource.meanOf());
        ex = assertThrows(IllegalArgumentException.class,
                () -> AttentionSource.meanOf(0).patchToPatch(blocks, N));
        assertTrue(ex.getMessage().contains("class tokens"), ex.getMessage());
        List<NDArray> mixed = new ArrayList<>(blocks);
        mixed.set(1, manager.zeros(new Shape(B, H, N + 1, N + 1)));
        ex = assertThrows(IllegalArgumentException.class,
                () -> AttentionSource.meanOf(0, 1).patchToPatch(mixed, C));
        assertTrue(ex.getMessage().contains("block 1"), ex.getMessage());
        assertEquals("blocks 3,4,5 head-mean", AttentionSource.meanOf(3, 4, 5).name());
        assertEquals(AttentionSource.meanOf(1, 2), AttentionSource.meanOf(1, 2));
    }
}
