/**
 * Class activation maps (SPECS §B): {@link dev.netlens.explain.cam.GradCam},
 * {@link dev.netlens.explain.cam.GuidedGradCam}, {@link dev.netlens.explain.cam.GradCamPlusPlus},
 * {@link dev.netlens.explain.cam.LayerCam}, {@link dev.netlens.explain.cam.XGradCam} and
 * {@link dev.netlens.explain.cam.ScoreCam}. Each explains a target through the activation A
 * [N, K, h, w] of a named layer (a value name, as {@code netlens inspect} lists them) and returns a
 * map [N, 1, h, w] — or, with {@code upsample}, [N, 1, H, W] by half-pixel bilinear resizing as
 * Captum — except Guided Grad-CAM, whose map has the input's shape. Registry names: grad-cam,
 * guided-grad-cam, grad-cam-pp, layer-cam, xgrad-cam, score-cam.
 */
package dev.netlens.explain.cam;
