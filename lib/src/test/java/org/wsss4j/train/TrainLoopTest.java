package org.wsss4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsss4j.train.TinyTraining.flatten;
import static org.wsss4j.train.TinyTraining.liveArrays;
import static org.wsss4j.train.TinyTraining.maxAbsDiff;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.runtime.Engines;

class TrainLoopTest {
    static final VitConfig TINY = TinyTraining.tinyVit(0.1);
    static final TrainConfig CFG = new TrainConfig(7, 40, 3e-3, 0.05, 4, 0.1, 1.0, 0.1, 0);

    @BeforeAll
    static void engine() {
        Engines.init();
    }

    /** Class c present ⇔ a bright square in colour channel c ({@link TinyTraining#squares}). */
    static BatchSource.Batch batch(long step, NDManager m) {
        return TinyTraining.squares(3, step, 8, m);
    }

    @Test
    void multilabelSoftMarginMatchesTheDefinition() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.create(new float[] {2f, -1f, 0.5f, 30f}, new Shape(2, 2));
            NDArray y = m.create(new float[] {1f, 0f, 0f, 1f}, new Shape(2, 2));
            double want = 0;
            double[] xs = {2, -1, 0.5, 30};
            double[] ys = {1, 0, 0, 1};
            for (int i = 0; i < 4; i++) {
                double sig = 1 / (1 + Math.exp(-xs[i]));
                want += -(ys[i] * Math.log(sig) + (1 - ys[i]) * Math.log(1 - sig));
            }
            assertEquals(want / 4, Losses.multilabelSoftMargin(x, y).getFloat(), 1e-5);
        }
    }

    @Test
    void lossFallsOnALearnableTask() throws IOException {
        try (VisionTransformer model = new VisionTransformer(TINY, Device.cpu(), 1);
                TrainLoop loop = new TrainLoop(model, CFG, List.of())) {
            loop.run(TrainLoopTest::batch, 0, 40, null, "", "test", 8);
            double first = mean(loop.history().subList(0, 5));
            double last = mean(loop.history().subList(35, 40));
            assertTrue(last < first * 0.8, "loss " + first + " -> " + last);
        }
    }

    @Test
    void observerHookChangesNothingAndALossTermChangesGradients() throws IOException {
        LossHook observer = new LossHook() {
            public String name() {
                return "observer";
            }

            public ForwardRequest request(long step) {
                return ForwardRequest.ALL;
            }

            public void addTerms(Context ctx, Map<String, NDArray> terms) {
                assertEquals(TINY.depth(), ctx.output().attention().size());
            }
        };
        LossHook penalty = new LossHook() {
            public String name() {
                return "penalty";
            }

            public ForwardRequest request(long step) {
                return ForwardRequest.ATTENTION;
            }

            public void addTerms(Context ctx, Map<String, NDArray> terms) {
                terms.put("attn", ctx.output().attention().get(1).square().mean().mul(ctx.manager().create(10f)));
            }
        };
        float[] plain = train(List.of(), 3);
        float[] observed = train(List.of(observer), 3);
        float[] penalised = train(List.of(penalty), 3);
        assertEquals(0f, maxAbsDiff(plain, observed), 0f, "a hook without terms is a no-op");
        assertTrue(maxAbsDiff(plain, penalised) > 1e-6, "a loss term must change the update");
    }

    @Test
    void garbageCollectionDuringTrainingChangesNothing() throws Exception {
        // Regression: DJL's mul(Number) scalar lived in Java memory that a GC could free while
        // autograd still needed it (NaN or silently wrong gradients). See model.Scalars.
        float[] quiet = train(List.of(), 4);
        java.util.concurrent.atomic.AtomicBoolean run = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread gc = new Thread(() -> {
            while (run.get()) {
                System.gc();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        gc.start();
        float[] stressed;
        try {
            stressed = train(List.of(), 4);
        } finally {
            run.set(false);
            gc.join();
        }
        assertEquals(0f, maxAbsDiff(quiet, stressed), 0f);
    }

    @Test
    void trainsOnAThreadOtherThanTheEngines() throws Exception {
        // libtorch's grad mode is per thread: notebook cells and workers train on new threads.
        float[] here = train(List.of(), 2);
        float[][] there = new float[1][];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                there[0] = train(List.of(), 2);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError("training on a new thread failed", failure[0]);
        }
        assertEquals(0f, maxAbsDiff(here, there[0]), 0f);
    }

    @Test
    void resumeEqualsAnUninterruptedRun(@TempDir Path dir) throws IOException {
        float[] straight;
        try (VisionTransformer model = new VisionTransformer(TINY, Device.cpu(), 1);
                TrainLoop loop = new TrainLoop(model, CFG, List.of())) {
            loop.run(TrainLoopTest::batch, 0, 6, null, "", "straight", 8);
            straight = flatten(model);
        }
        Path ckpt = dir.resolve("ckpt");
        try (VisionTransformer model = new VisionTransformer(TINY, Device.cpu(), 1);
                TrainLoop loop = new TrainLoop(model, CFG.withCheckpointEvery(3), List.of())) {
            loop.run(TrainLoopTest::batch, 0, 3, ckpt, "k", "killed", 8); // "killed" after 3
        }
        assertTrue(TrainState.exists(ckpt));
        try (VisionTransformer model = new VisionTransformer(TINY, Device.cpu(), 99);
                TrainLoop loop = new TrainLoop(model, CFG, List.of())) {
            long next = loop.resume(ckpt);
            assertEquals(3, next);
            loop.run(TrainLoopTest::batch, next, 6, null, "", "resumed", 8);
            assertEquals(6, loop.history().size());
            assertEquals(0f, maxAbsDiff(straight, flatten(model)), 1e-6f);
        }
        try (var files = Files.list(ckpt)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")));
        }
    }

    @Test
    void nativeMemoryDoesNotGrowOverManySteps() throws IOException {
        try (VisionTransformer model = new VisionTransformer(TINY, Device.cpu(), 1);
                TrainLoop loop = new TrainLoop(model, CFG.withTotalSteps(800), List.of())) {
            loop.run(TrainLoopTest::batch, 0, 100, null, "", "warm", 8);
            int arraysBefore = liveArrays();
            long[] mib = new long[6];
            for (int k = 0; k < mib.length; k++) {
                loop.run(TrainLoopTest::batch, 100 + k * 100, 200 + k * 100, null, "", "long", 8);
                mib[k] = NativeMemory.nonJavaBytes() >> 20;
            }
            // Every tensor a step creates is freed with it: the live count is exactly the same.
            assertEquals(arraysBefore, liveArrays(), "NDArrays alive after 600 more steps");
            // The allocator's footprint wanders by ~±20 MiB; a per-step leak grows steadily.
            long early = median(mib[0], mib[1], mib[2]);
            long late = median(mib[3], mib[4], mib[5]);
            assertTrue(late - early < 48, "native memory over 600 steps (MiB): "
                    + java.util.Arrays.toString(mib));
        }
    }

    static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** Arrays held by every DJL manager of the process. */
    private static float[] train(List<LossHook> hooks, int steps) throws IOException {
        try (VisionTransformer model = new VisionTransformer(TINY, Device.cpu(), 1);
                TrainLoop loop = new TrainLoop(model, CFG, hooks)) {
            loop.run(TrainLoopTest::batch, 0, steps, null, "", "t", 8);
            return flatten(model);
        }
    }

    static double mean(List<StepLog> logs) {
        return logs.stream().mapToDouble(StepLog::loss).average().orElseThrow();
    }
}
