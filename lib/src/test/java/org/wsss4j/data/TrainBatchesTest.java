package org.wsss4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.runtime.Engines;

class TrainBatchesTest {
    @TempDir static Path root;
    static VocDataset data;
    static final Augment AUG = Augment.defaults(48);

    @BeforeAll
    static void makeData() throws IOException {
        Engines.init();
        new SyntheticGenerator(GeneratorConfig.defaults().withImageSize(48).withSplits(10, 4, 2, 2),
                1).generate(root, 2);
        data = VocDataset.open(root, "train_aug");
    }

    @Test
    void eachEpochIsAPermutationAndEpochsDiffer() {
        try (TrainBatches b = new TrainBatches(data, AUG, 4, 9, 0)) {
            assertEquals(3, b.stepsPerEpoch());
            int[] stream = IntStream.range(0, 5).flatMap(s -> Arrays.stream(b.indices(s))).toArray();
            int[] e0 = Arrays.copyOfRange(stream, 0, 10), e1 = Arrays.copyOfRange(stream, 10, 20);
            assertArrayEquals(IntStream.range(0, 10).toArray(), IntStream.of(e0).sorted().toArray());
            assertArrayEquals(IntStream.range(0, 10).toArray(), IntStream.of(e1).sorted().toArray());
            assertFalse(Arrays.equals(e0, e1), "epochs are reshuffled");
            assertFalse(Arrays.equals(e0, IntStream.range(0, 10).toArray()), "shuffled at all");
            try (TrainBatches other = new TrainBatches(data, AUG, 4, 10, 0)) {
                assertFalse(Arrays.equals(b.indices(0), other.indices(0)), "seed changes order");
            }
        }
    }

    @Test
    void batchIsTheSameWithOrWithoutPrefetchAndAfterARestart() {
        try (NDManager m = NDManager.newBaseManager(Engines.device());
                TrainBatches pre = new TrainBatches(data, AUG, 4, 3, 2);
                TrainBatches none = new TrainBatches(data, AUG, 4, 3, 0)) {
            float[][] seq = new float[6][];
            for (int s = 0; s < 6; s++) {
                try (TrainBatches.Batch b = pre.get(s, m)) {
                    seq[s] = b.images().toFloatArray();
                    assertEquals(new Shape(4, 3, 48, 48), b.images().getShape());
                    assertEquals(DataType.FLOAT32, b.images().getDataType());
                    assertEquals(new Shape(4, 20), b.labels().getShape());
                    float[] labels = b.labels().toFloatArray();
                    for (int j = 0; j < 4; j++) {
                        int i = b.indices()[j];
                        assertEquals(data.id(i), b.ids().get(j));
                        assertArrayEquals(data.multiHot(i), Arrays.copyOfRange(labels, 20 * j,
                                20 * j + 20));
                    }
                }
            }
            // Out of order, without prefetch, and from a fresh instance (a resumed run).
            for (int s : new int[] {5, 2, 0, 4}) {
                try (TrainBatches.Batch b = none.get(s, m)) {
                    assertArrayEquals(seq[s], b.images().toFloatArray(), "step " + s);
                }
            }
            try (TrainBatches resumed = new TrainBatches(data, AUG, 4, 3, 2);
                    TrainBatches.Batch b = resumed.get(3, m)) {
                assertArrayEquals(seq[3], b.images().toFloatArray());
            }
            assertFalse(Arrays.equals(seq[0], seq[3]));
        }
    }

    @Test
    void closeStopsThePrefetchThread() {
        TrainBatches b = new TrainBatches(data, AUG, 2, 0, 3);
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            b.get(0, m).close();
            assertFalse(b.isTerminated());
            b.close();
            assertTrue(b.isTerminated());
            assertThrows(IllegalStateException.class, () -> b.get(1, m));
        }
        b.close(); // idempotent
    }

    @Test
    void unreadableImagesFailNamingTheFile(@TempDir Path tmp) throws IOException {
        new SyntheticGenerator(GeneratorConfig.defaults().withImageSize(48).withSplits(4, 1, 1, 1),
                1).generate(tmp, 1);
        VocDataset d = VocDataset.open(tmp, "train_aug");
        for (int i = 0; i < d.size(); i++) {
            Files.writeString(d.imageFile(i), "broken");
        }
        try (NDManager m = NDManager.newBaseManager(Engines.device());
                TrainBatches b = new TrainBatches(d, AUG, 2, 0, 2)) {
            var e = assertThrows(UncheckedIOException.class, () -> b.get(0, m));
            assertTrue(e.getMessage().contains("syn_00000"), e.getMessage());
            // Step 1 was queued before step 0 failed: its error comes from the prefetch thread.
            e = assertThrows(UncheckedIOException.class, () -> b.get(1, m));
            assertTrue(e.getMessage().contains(".png"), e.getMessage());
        }
    }
}
