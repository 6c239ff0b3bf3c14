/**
 * ONNX models as plain Java values, and their file format.
 *
 * <ul>
 *   <li>The records {@link dev.netlens.core.onnx.OnnxModel}, {@link dev.netlens.core.onnx.OnnxGraph},
 *       {@link dev.netlens.core.onnx.OnnxNode}, {@link dev.netlens.core.onnx.OnnxAttribute},
 *       {@link dev.netlens.core.onnx.OnnxValueInfo}, {@link dev.netlens.core.onnx.OnnxOpset} and the
 *       tensor value {@link dev.netlens.core.onnx.OnnxTensor} mirror ONNX's protobuf messages without
 *       depending on protobuf; {@link dev.netlens.core.onnx.OnnxDataType} holds the element-type
 *       codes.</li>
 *   <li>{@link dev.netlens.core.onnx.OnnxReader} parses ModelProto files (and standalone TensorProto
 *       files such as ONNX test vectors) at the protobuf wire level, including external tensor data;
 *       every malformed input ends in one {@link dev.netlens.core.onnx.OnnxFormatException} whose
 *       message names the file and the problem.</li>
 *   <li>{@link dev.netlens.core.onnx.OnnxWriter} writes the records back as ModelProto/TensorProto
 *       bytes, optionally moving large tensors to an external data file.</li>
 * </ul>
 *
 * <p>The translation between these records and netlens' engine graph (the importer, with its
 * opset-versioned operator table, and the exporter) lives in this package as well. Model metadata
 * conventions ({@code netlens.classes}, {@code netlens.input_size}, ...) are kept in
 * {@link dev.netlens.core.onnx.OnnxModel#metadata()}; see DESIGN.md §4.
 */
package dev.netlens.core.onnx;
