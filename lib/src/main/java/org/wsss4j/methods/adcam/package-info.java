/**
 * AD-CAM (Huang, Wang, Sun, Zhang, arXiv 2211.10931): attention-based class activation diffusion,
 * <em>reconstructed from the paper's description</em>. The paper has no public code and its
 * equations could not be read (methods.md §3); every undocumented choice is therefore an option.
 *
 * <p>The method is a post-hoc operator on tensors:
 *
 * <ol>
 *   <li>{@link org.wsss4j.methods.adcam.AttentionSource} picks the token-to-token attention (blocks,
 *       heads, the patch-to-patch block without class tokens);
 *   <li>{@link org.wsss4j.methods.adcam.Refinement}, the "conservative" step, re-weights the
 *       attention between two tokens by how much their attention rows agree on common neighbours
 *       and makes the rows stochastic;
 *   <li>{@link org.wsss4j.methods.adcam.Diffusion}, the "convincing" step, spreads each token's
 *       class activation along that transition matrix as a random walk.
 * </ol>
 *
 * {@link org.wsss4j.methods.adcam.AdCam} composes them and offers the two strawmen of notebook 03
 * (direct coupling, diffusion along unrefined attention). Every operator is a pure function of
 * {@code NDArray}s: it works on the inputs' device, creates its arrays through the inputs' manager,
 * frees its intermediates before returning, and never modifies its inputs.
 *
 * <p>Token layout of the shared base: C class tokens first, then h·w patch tokens in row-major
 * order. Maps are {@code [B, C, h, w]} float32; token {@code i = y·w + x}.
 */
package org.wsss4j.methods.adcam;
