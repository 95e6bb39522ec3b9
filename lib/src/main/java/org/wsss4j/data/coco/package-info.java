/**
 * MS COCO 2014 preparation: streaming reader of instances files, pycocotools-equal polygon and RLE
 * decoding, and the converter to an 81-label VOC-layout tree.
 */
package org.wsss4j.data.coco;
