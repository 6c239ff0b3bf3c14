/**
 * Graphs, forward passes and reverse-mode differentiation.
 *
 * <ul>
 *   <li>{@link dev.netlens.core.graph.Graph} — an immutable DAG of {@link dev.netlens.core.graph.Node}s
 *       over named values (ONNX tensor names).</li>
 *   <li>{@link dev.netlens.core.graph.Run} — options of one forward pass: record, taps, interventions,
 *       training mode; {@link dev.netlens.core.graph.Trace} — its result, with
 *       {@code gradients(seeds, wrt, composite)}.</li>
 *   <li>{@link dev.netlens.core.graph.Intervention}s edit named values during the pass;
 *       {@link dev.netlens.core.graph.BackwardRule}s replace a node's VJP during a backward pass,
 *       chosen per node by a {@link dev.netlens.core.graph.Composite} (by name, op type or category;
 *       first match wins) and optionally bound to a trace by a {@link dev.netlens.core.graph.RuleScope}.</li>
 * </ul>
 */
package dev.netlens.core.graph;
