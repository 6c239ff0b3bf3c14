/**
 * Images as model inputs: reading PNG/JPEG files and preprocessing them (resize, centre crop,
 * normalisation) into NCHW tensors.
 */
package dev.netlens.data.images;
