package org.wsss4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LayerPositionsTest {
    @Test
    void methodsMdExamplesForDepth6() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, LayerPositions.below(7, 6));
        assertArrayEquals(new int[] {4, 5}, LayerPositions.atOrAbove(7, 6));
        assertArrayEquals(new int[] {4, 5}, LayerPositions.last(3, 6));
        assertArrayEquals(new int[] {5}, LayerPositions.from(10, 6));
    }

    @Test
    void identityAtDepth12() {
        for (int k = 0; k < 12; k++) {
            assertEquals(k, LayerPositions.resolve(k, 12));
        }
        assertArrayEquals(IntStream.range(0, 7).toArray(), LayerPositions.below(7, 12));
        assertArrayEquals(new int[] {9, 10, 11}, LayerPositions.last(3, 12));
        assertArrayEquals(new int[] {10, 11}, LayerPositions.from(10, 12));
    }

    @Test
    void everyIndexAtEveryDepthIsValidAndPartitions() {
        for (int depth = 2; depth <= 12; depth++) {
            int prev = -1;
            for (int k = 0; k < 12; k++) {
                int r = LayerPositions.resolve(k, depth);
                assertTrue(r >= 0 && r < depth, "r(" + k + ") at depth " + depth);
                assertTrue(r >= prev, "monotone at depth " + depth);
                prev = r;
                int[] lo = LayerPositions.below(Math.max(k, 1), depth);
                int[] hi = LayerPositions.atOrAbove(Math.max(k, 1), depth);
                assertTrue(lo.length >= 1 && hi.length >= 1, "both sides non-empty");
                assertEquals(depth, lo.length + hi.length);
                assertEquals(lo[lo.length - 1] + 1, hi[0]);
            }
            for (int n = 1; n <= 12; n++) {
                int[] last = LayerPositions.last(n, depth);
                assertTrue(last.length >= 1 && last[last.length - 1] == depth - 1);
            }
        }
    }
}
