/**
 * SMAF (Yang, Zhu, Zhang, arXiv 2305.05841; methods.md §4) on the kit's shared base:
 * multi-scale + flip fusion of class-aware maps ({@link org.wsss4j.methods.smaf.ScaleFusion}),
 * the "denoise and reactivate" target ({@link org.wsss4j.methods.smaf.SmafTarget}), a new
 * C+1-channel head on the patch tokens ({@link org.wsss4j.methods.smaf.SegmentationHead}) and
 * self-training of backbone and head against the target computed by a frozen teacher
 * ({@link org.wsss4j.methods.smaf.SelfTrainingHook}, {@link org.wsss4j.methods.smaf.Teacher},
 * {@link org.wsss4j.methods.smaf.SelfTraining}).
 *
 * <p>The hook gets the teacher's fused maps for each step from a
 * {@link org.wsss4j.methods.smaf.FusedMaps}, so the target is built one way wherever the maps
 * come from: fused once per training image and warped to each sample
 * ({@link org.wsss4j.methods.smaf.OfflineTeacher}, as the paper; the teacher's cost is one pass
 * over the data) or fused on each step's augmented batch
 * ({@link org.wsss4j.methods.smaf.OnlineTeacher}; round 2, whose teacher is round 1's student).
 *
 * <p>The paper's backbone is EPS on WideResNet-38, whose 21-channel softmax gives class-aware maps
 * directly. The shared base has no such channel: the teacher's per-pass maps are the baseline CAM
 * (MCTformer-V2's PatchCAM ⊙ class-to-patch attention), min–max normalised per pass before the
 * sum (methods.md Part 1). After self-training, the student's own head supplies softmax
 * foreground channels, fused exactly as in the paper's {@code gen_pseudo_mask.py}.
 *
 * <p>Channel order of every C+1-channel tensor here: 0 = background, 1..C = the classes, as the
 * kit's label values ({@link org.wsss4j.data.ClassList}); EPS puts background last.
 */
package org.wsss4j.methods.smaf;
