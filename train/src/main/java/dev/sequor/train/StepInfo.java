package dev.sequor.train;

import java.util.SplittableRandom;

/**
 * What the loop tells a forward pass about the current step.
 *
 * @param step        the number of completed training steps before this one (0 on the first)
 * @param epoch       the current epoch, from 0
 * @param training    false during {@code evaluate} and {@code predict}
 * @param teacherProb the probability of feeding the true previous token (1 for plain teacher forcing,
 *                    and always 1 outside training); see {@link TeacherForcing}
 * @param rng         draws for this step (scheduled sampling, noise): seeded from the loop's seed and
 *                    {@code step}, so a resumed run draws exactly what the unbroken run would
 */
public record StepInfo(int step, int epoch, boolean training, double teacherProb, SplittableRandom rng) {
}
