/**
 * Model-agnostic explanations of tabular models (SPECS §D, tabular part): every method queries a
 * {@link dev.netlens.explain.blackbox.Predictor} that maps encoded rows [N, F] to scores [N, K]
 * (through {@link dev.netlens.explain.tabular.TabularModel}) and never looks inside it.
 *
 * <h2>From a CSV file to the model's input (the encoding contract)</h2>
 * {@link dev.netlens.explain.tabular.CsvData} reads a CSV file with a header line, strictly
 * (empty file, header only, ragged rows, duplicate column names are errors naming file and line).
 * {@link dev.netlens.explain.tabular.TabularSchema} turns it into floats [N, F]: the features are
 * all columns except the target column (and dropped ones) in CSV order; a column is numeric when
 * all its values parse as numbers (or when the model's {@code netlens.numeric} metadata or a
 * {@code --numeric} option says so — then a non-number is an error naming file, line and column),
 * otherwise categorical; a categorical column is encoded as the index of its value in the model's
 * {@code netlens.categories.<column>} metadata (a comma list) when present, else in the sorted
 * distinct values of the column in the given data. The target column becomes class indices
 * ({@link dev.netlens.explain.tabular.TargetEncoding}): class names from {@code netlens.classes},
 * else integer labels as they are, else sorted distinct values.
 *
 * <h2>Methods</h2>
 * <ul>
 *   <li>{@link dev.netlens.explain.tabular.LimeTabular} — LIME (Ribeiro et al., KDD 2016), lime's
 *       {@code LimeTabularExplainer} semantics;</li>
 *   <li>{@link dev.netlens.explain.tabular.KernelShapTabular} — Kernel SHAP (Lundberg and Lee,
 *       NeurIPS 2017) over features with a background set, solved by
 *       {@link dev.netlens.explain.shapley.KernelShapSolver};</li>
 *   <li>{@link dev.netlens.explain.tabular.PermutationImportance} — Breiman 2001, Fisher et al. 2019;</li>
 *   <li>{@link dev.netlens.explain.tabular.PartialDependence} — PDP (Friedman 2001) and ICE
 *       (Goldstein et al. 2015);</li>
 *   <li>{@link dev.netlens.explain.tabular.GlobalSurrogate} — a CART
 *       {@link dev.netlens.explain.tabular.DecisionTree} (Breiman et al. 1984) trained on the black
 *       box's predictions, with held-out fidelity, printed as if/else rules;</li>
 *   <li>{@link dev.netlens.explain.tabular.Fairness} — demographic parity and equalized-odds
 *       differences and per-group accuracy (fairlearn's definitions).</li>
 * </ul>
 * All randomness comes from explicit seeds ({@link java.util.SplittableRandom}): same seed, same result.
 */
package dev.netlens.explain.tabular;
