/**
 * AReAM (He et al., arXiv 2305.03112; methods.md §1) on the kit's shared base: the training-time
 * affinity target (CAM refined by the shallow blocks' patch affinity, PAR, dual background
 * thresholds, affinity label on the token grid), the affinity loss on the deep blocks' pre-softmax
 * attention, entropy layer weights, AReAM's own inference map, and the attention statistics that
 * measure the paper's premise (deep blocks over-smooth) during training.
 */
package org.wsss4j.methods.aream;
