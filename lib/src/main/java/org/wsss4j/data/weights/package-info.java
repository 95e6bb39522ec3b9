/**
 * Checks of pretrained weights before any model loads them: safetensors headers, and timm's DeiT-S
 * key names and shapes.
 */
package org.wsss4j.data.weights;
