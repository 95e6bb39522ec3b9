package org.wsss4j.methods.smaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsss4j.train.TinyTraining.flatten;
import static org.wsss4j.train.TinyTraining.liveArrays;
import static org.wsss4j.train.TinyTraining.maxAbsDiff;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.cam.CamKind;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.model.VitOutput;
import org.wsss4j.runtime.Engines;
import org.wsss4j.train.BatchSource;
import org.wsss4j.train.LossHook;
import org.wsss4j.train.TrainConfig;
import org.wsss4j.train.TinyTraining;
import org.wsss4j.train.TrainLoop;

class SelfTrainingHookTest {
    static final VitConfig TINY = TinyTraining.tinyVit(0.0);
    static final TrainConfig CFG = new TrainConfig(7, 40, 3e-3, 0.05, 0, 1.0, 0, 0, 0);
    /** Two scales keep the tests fast; the operators do not depend on how many. */
    static final SmafConfig FAST = SmafConfig.PAPER.withScales(List.of(0.5, 1.0));

    @BeforeAll
    static void engine() {
        Engines.init();
    }

    /** Class c present ⇔ a bright square in colour channel c ({@link TinyTraining#squares}). */
    static BatchSource.Batch batch(long step, NDManager m) {
        return TinyTraining.squares(11, step, 4, m);
    }

    @Test
    void lossIsHundredTimesTheMseOfTheSoftmaxAndZeroAtTheTarget() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            // Uniform logits over 2 channels against target [1, 0]: (0.5² + 0.5²)/2 = 0.25.
            NDArray t2 = m.zeros(new Shape(1, 2, 2, 2));
            t2.set(new ai.djl.ndarray.index.NDIndex(":, 0"), 1f);
            assertEquals(25f, SelfTrainingHook.loss(m.zeros(new Shape(1, 2, 2, 2)), t2, 100)
                    .getFloat(), 1e-5f);

            // A target that is a distribution over the channels is reached exactly by its log.
            NDArray t = m.randomUniform(0.05f, 1f, new Shape(2, 4, 3, 3));
            t = t.div(t.sum(new int[] {1}, true));
            NDArray exact = t.log();
            float at = SelfTrainingHook.loss(exact, t, 100).getFloat();
            assertEquals(0f, at, 1e-9f);
            for (int k = 0; k < 5; k++) {
                NDArray nudged = exact.add(m.randomNormal(0f, 0.1f, exact.getShape(), exact.getDataType()));
                assertTrue(SelfTrainingHook.loss(nudged, t, 100).getFloat() > at,
                        "the target is the minimum");
            }
            // A reactivated one-hot target is approached as the logits sharpen.
            float prev = Float.MAX_VALUE;
            for (float k : new float[] {1, 4, 16, 64}) {
                float l = SelfTrainingHook.loss(t2.mul(k), t2, 100).getFloat();
                assertTrue(l < prev, "loss " + l + " after " + prev);
                prev = l;
            }
            assertEquals(0f, prev, 1e-6f);
        }
    }

    @Test
    void gradientReachesBackboneAndHeadButNotTheClassifiersOrTheTeacher() {
        try (VisionTransformer model = new VisionTransformer(TINY, Engines.device(), 2);
                SegmentationHead head = SegmentationHead.forModel(model, 2);
                Teacher teacher = Teacher.ofCam(model, CamKind.BASELINE, 3);
                NDManager m = NDManager.newBaseManager(Engines.device())) {
            SelfTrainingHook hook = new SelfTrainingHook(teacher, head, FAST);
            assertTrue(hook.replacesClassificationLoss());
            assertEquals(head.parameters(), hook.parameters());
            BatchSource.Batch b = batch(0, m);
            Map<String, NDArray> terms = new HashMap<>();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                VitOutput out = model.forward(b.images(), ForwardRequest.PLAIN);
                hook.addTerms(new LossHook.Context(model, b.images(), b.labels(), out, 0, 7, m,
                        new HashMap<>()),
                        terms);
                assertEquals(1, terms.size());
                NDArray loss = terms.get("mse");
                assertTrue(loss.getFloat() > 0);
                gc.backward(loss);
            }
            for (String p : List.of("patch_embed.proj.weight", "blocks.0.attn.qkv.weight",
                    "blocks.1.mlp.fc2.weight", "norm.weight", "pos_embed")) {
                assertTrue(gradNorm(model.parameter(p)) > 0, "no gradient reaches " + p);
            }
            assertTrue(gradNorm(head.parameters().get(SegmentationHead.WEIGHT)) > 0);
            assertTrue(gradNorm(head.parameters().get(SegmentationHead.BIAS)) > 0);
            // No classification loss: the PatchCAM head and the class read-out get nothing.
            for (String p : List.of("head.weight", "cls_readout.weight")) {
                NDArray g = model.parameter(p).getGradient();
                assertEquals(0f, g.abs().max().getFloat(), 0f, p + " has a gradient");
                g.close();
            }
            for (NDArray p : teacher.model().parameters().values()) {
                assertFalse(p.hasGradient(), "a teacher parameter takes gradients");
            }
        }
    }

    private static double gradNorm(NDArray p) {
        try (NDArray g = p.getGradient()) {
            return g.square().sum().getFloat();
        }
    }

    @Test
    void trainingLowersTheLossTrainsBothAndLeavesTheTeacherAndNoArraysBehind() throws IOException {
        try (VisionTransformer model = new VisionTransformer(TINY, Engines.device(), 3);
                SegmentationHead head = SegmentationHead.forModel(model, 3);
                Teacher teacher = Teacher.ofCam(model, CamKind.BASELINE, 3)) {
            float[] teacherBefore = flatten(teacher.model().parameters());
            float[] modelBefore = flatten(model.parameters());
            float[] headBefore = flatten(head.parameters());
            SelfTrainingHook hook = new SelfTrainingHook(teacher, head, FAST);
            try (TrainLoop loop = new TrainLoop(model, CFG, List.of(hook))) {
                assertTrue(loop.trainedParameters().containsKey(SegmentationHead.WEIGHT));
                // One batch over and over: the student must fit the teacher's target on it.
                BatchSource same = (step, m) -> batch(0, m);
                loop.run(same, 0, 2, null, "", "warm", 4);
                int live = liveArrays();
                long t0 = System.nanoTime();
                loop.run(same, 2, 20, null, "", "smaf", 4);
                System.out.printf("self-training step: %.1f ms%n", (System.nanoTime() - t0) / 18e6);
                assertEquals(live, liveArrays(), "arrays left behind by self-training steps");
                double first = loop.history().get(0).loss();
                double last = loop.history().get(19).loss();
                assertFalse(loop.history().get(0).terms().containsKey("cls"));
                assertTrue(loop.history().get(0).terms().containsKey("smaf.mse"));
                assertTrue(last < first * 0.8, "self-training loss " + first + " -> " + last);
            }
            assertEquals(0f, maxAbsDiff(teacherBefore, flatten(teacher.model().parameters())), 0f);
            assertTrue(maxAbsDiff(modelBefore, flatten(model.parameters())) > 1e-4);
            assertTrue(maxAbsDiff(headBefore, flatten(head.parameters())) > 1e-4);
        }
    }

    @Test
    void roundTwoLearnsFromRoundOnesStudentHead() throws IOException {
        List<Boolean> usesHead = new ArrayList<>();
        List<Teacher> teachers = new ArrayList<>();
        try (VisionTransformer model = new VisionTransformer(TINY, Engines.device(), 4);
                SegmentationHead head = SegmentationHead.forModel(model, 4)) {
            SmafConfig cfg = FAST.withRounds(2);
            SelfTraining.run(model, head, cfg, (round, hooks) -> {
                SelfTrainingHook h = assertInstanceOf(SelfTrainingHook.class, hooks.get(0));
                OnlineTeacher online = assertInstanceOf(OnlineTeacher.class, h.maps());
                Teacher t = assertInstanceOf(Teacher.class, online.teacher());
                usesHead.add(t.usesHead());
                teachers.add(t);
                if (round == 2) {
                    // Round 2's teacher is round 1's student: same weights, frozen.
                    assertEquals(0f, maxAbsDiff(flatten(model.parameters()),
                            flatten(t.model().parameters())), 0f);
                }
                try (TrainLoop loop = new TrainLoop(model, CFG, hooks)) {
                    loop.run(SelfTrainingHookTest::batch, 0, 3, null, "", "round " + round, 4);
                }
            });
        }
        assertEquals(List.of(false, true), usesHead);
        // Each teacher was freed when its round ended.
        for (Teacher t : teachers) {
            assertThrows(() -> t.model().parameters().values().iterator().next().toFloatArray());
        }
    }

    private static void assertThrows(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, e);
    }
}
