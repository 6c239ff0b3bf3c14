/**
 * What ships inside netlens: the {@link dev.netlens.data.bundled.BundledFashionMnist} model and its
 * sample images, for the demo, the tests and first steps.
 */
package dev.netlens.data.bundled;
