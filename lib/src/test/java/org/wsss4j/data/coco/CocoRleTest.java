package org.wsss4j.data.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CocoRleTest {
    @Test
    void decodesCompressedStringsWorkedByHand() {
        // 3, 2, 4 fit one 5-bit group each: '0' + value.
        assertArrayEquals(new long[] {3, 2, 4}, CocoRle.decodeString("324"));
        // From the 4th count on the string holds the difference to the count two places back:
        // 5, 10, 1, then 2 - 10 = -8 = 0b11000 -> sign bit 0x10 set, no continuation -> 'H'.
        assertArrayEquals(new long[] {5, 10, 1, 2}, CocoRle.decodeString("5:1H"));
        // 100 = 4 + 3*32: low group 4 with continuation (4|0x20 = 36 -> 'T'), then 3 -> '3'.
        assertArrayEquals(new long[] {100}, CocoRle.decodeString("T3"));
        // 16 has the sign bit set in its only group, so it needs a second, zero group: '`0'.
        assertArrayEquals(new long[] {16}, CocoRle.decodeString("`0"));
    }

    @Test
    void encodeIsTheInverseOfDecode() {
        assertEquals("5:1H", CocoRle.encodeString(new long[] {5, 10, 1, 2}));
        assertEquals("T3", CocoRle.encodeString(new long[] {100}));
        Random r = new Random(7);
        for (int t = 0; t < 200; t++) {
            long[] c = new long[1 + r.nextInt(12)];
            for (int i = 0; i < c.length; i++) {
                c[i] = (i == 0 ? 0 : 1) + r.nextInt(r.nextBoolean() ? 40 : 400_000);
            }
            assertArrayEquals(c, CocoRle.decodeString(CocoRle.encodeString(c)));
        }
    }

    @Test
    void countsAreColumnMajorStartingWithZeros() {
        // h=3, w=2; column-major positions: (x0: y0 y1 y2), (x1: y0 y1 y2). Counts 1,3,2:
        // position 0 off, positions 1..3 on = (x0,y1) (x0,y2) (x1,y0), positions 4,5 off.
        byte[] m = CocoRle.decode(new long[] {1, 3, 2}, 3, 2);
        assertArrayEquals(new byte[] {0, 1, 1, 0, 1, 0}, m); // row-major: y0:(0,1) y1:(1,0) y2:(1,0)
        assertArrayEquals(new long[] {1, 3, 2}, CocoRle.encode(m, 3, 2));
        // A mask starting with 1 has a leading zero count.
        assertArrayEquals(new long[] {0, 6}, CocoRle.encode(new byte[] {1, 1, 1, 1, 1, 1}, 3, 2));
    }

    @Test
    void badInputFailsWithTheReason() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CocoRle.decode(new long[] {1, 2}, 3, 2));
        assertTrue(e.getMessage().contains("sum to 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CocoRle.decodeString("3 2"));
        assertTrue(e.getMessage().contains("' '"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CocoRle.decodeString("T"));
        assertTrue(e.getMessage().contains("continuation"), e.getMessage());
    }
}
