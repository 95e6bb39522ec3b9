package org.wsss4j.methods.smaf;

import java.io.IOException;
import java.util.List;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.train.LossHook;

/**
 * SMAF's rounds of self-training: in round r (1-based) a {@link Teacher} is frozen from the model
 * as it stands (round 1: its baseline CAM; later: round r−1's student with its head), and the
 * caller's {@link RoundRunner} trains {@code model} with a {@link SelfTrainingHook} for the
 * round's steps. The same head is trained on through every round. How a round is run (loop,
 * batches, steps, checkpoints) is the caller's: an experiment gives each round as many steps as
 * it wants its control to match.
 */
public final class SelfTraining {
    private SelfTraining() {}

    /** Trains {@code model} with the given hooks for one round. */
    @FunctionalInterface
    public interface RoundRunner {
        /**
         * @param round 1-based
         * @param hooks the round's hooks (one {@link SelfTrainingHook})
         */
        void run(int round, List<LossHook> hooks) throws IOException;
    }

    /**
     * Runs {@code cfg.rounds()} rounds on {@code model} and {@code head} (both trained in
     * place). Each round's teacher is freed when the round ends.
     */
    public static void run(
            VisionTransformer model, SegmentationHead head, SmafConfig cfg, RoundRunner runner)
            throws IOException {
        for (int r = 1; r <= cfg.rounds(); r++) {
            try (Teacher teacher = Teacher.forRound(r, model, head, cfg)) {
                runner.run(r, List.of(new SelfTrainingHook(teacher, head, cfg)));
            }
        }
    }
}
