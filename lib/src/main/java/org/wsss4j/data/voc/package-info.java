/**
 * PASCAL VOC 2012 + SBD preparation: the VOC-layout tree every prepared data set uses ({@link
 * org.wsss4j.data.voc.VocLayout}), SBD's MAT annotations ({@link org.wsss4j.data.voc.SbdMat}), the
 * train_aug set algebra, PSA's XML image-label rule, the converter, and a check of a prepared tree.
 * Reading a prepared tree for training is the data package's reader, not this package.
 */
package org.wsss4j.data.voc;
