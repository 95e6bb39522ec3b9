/**
 * Data: the synthetic WSSS benchmark ({@link org.wsss4j.data.SyntheticGenerator}), the PASCAL
 * VOC-layout reader ({@link org.wsss4j.data.VocDataset}), class names and label PNGs ({@link
 * org.wsss4j.data.ClassList}, {@link org.wsss4j.data.IndexedPng}), and the input pipeline:
 * normalisation, inference tensors, augmentation and step-addressed training batches ({@link
 * org.wsss4j.data.TrainBatches}). Knows nothing of models or methods.
 */
package org.wsss4j.data;
