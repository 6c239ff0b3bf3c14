/**
 * Black-box predictors: anything that maps a batch of inputs to a batch of scores
 * ({@link dev.netlens.explain.blackbox.Predictor}). Model-agnostic explanations (SPECS §D:
 * occlusion, feature ablation, RISE, LIME, Kernel SHAP, Shapley sampling, and the tabular tools)
 * query a predictor and never look inside it, so the same method explains a netlens graph, an ONNX
 * model run by ONNX Runtime ({@link dev.netlens.explain.blackbox.OnnxRuntimePredictor}, the fast
 * forward-only backend) or any Java function. The framing follows Ribeiro, Singh, Guestrin, "Why
 * Should I Trust You?", KDD 2016 (model-agnostic explanation by querying the model).
 */
package dev.netlens.explain.blackbox;
