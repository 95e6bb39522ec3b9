/**
 * ACR — All-pairs Consistency Regularization (Sun et al., ICCV 2023 workshop; methods.md §2) on
 * the kit's shared base, with no change to the model.
 *
 * <ul>
 *   <li>Training: {@link org.wsss4j.methods.acr.AcrHook} (a {@code train.LossHook}) adds the
 *       second view's classification loss and the two L1 consistency terms of
 *       {@link org.wsss4j.methods.acr.ConsistencyTerms} between the views' attention, the
 *       flipped view's token grid brought back by {@link org.wsss4j.methods.acr.TokenFlip};
 *       switches in {@link org.wsss4j.methods.acr.AcrConfig}.
 *   <li>Inference: {@link org.wsss4j.methods.acr.GradientLocalisation} — class maps from the
 *       gradient of each class score with respect to the post-softmax attention of the last
 *       blocks ({@link org.wsss4j.methods.acr.LocalisationConfig}), optionally refined by the
 *       summed patch-to-patch attention.
 * </ul>
 */
package org.wsss4j.methods.acr;
