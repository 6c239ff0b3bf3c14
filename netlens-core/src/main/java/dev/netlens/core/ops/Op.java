package dev.netlens.core.ops;

import dev.netlens.core.tensor.Tensor;
import java.util.Map;

/**
 * One operation of a graph: a forward pass and its vector–Jacobian product side by side.
 *
 * <p>Ops are immutable values holding their attributes; inputs and outputs are tensors
 * (absent optional inputs are null). An op never mutates its inputs. The backward pass receives
 * the gradients of the outputs (a missing one is a zero tensor of the output's shape) and returns
 * one gradient per input, or null for inputs that need none (see
 * {@link BackwardContext#needsGradient}).
 *
 * <p>What the backward pass needs from the forward pass is declared with
 * {@link #retainsInput}/{@link #retainsOutput}; a recording run keeps exactly those tensors
 * (unless the run asks to retain everything).
 */
public interface Op {
    /** The ONNX operator name, e.g. "Conv". */
    String type();

    OpCategory category();

    Tensor[] forward(ForwardContext ctx, Tensor... inputs);

    Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs);

    /** Whether the backward pass reads forward input {@code index}. Default: yes. */
    default boolean retainsInput(int index) {
        return true;
    }

    /** Whether the backward pass reads forward output {@code index}. Default: no. */
    default boolean retainsOutput(int index) {
        return false;
    }

    /** The op's attributes by ONNX name (for inspection and export). */
    default Map<String, Object> attributes() {
        return Map.of();
    }

    /**
     * Output shapes for inputs of these shapes (null = absent optional input), validating them as
     * the forward pass would. The default runs the forward pass on zeros, which is exact but costs
     * as much as the op itself: ops with heavy arithmetic override it with the shape arithmetic.
     */
    default int[][] outputShapes(int[][] inputShapes, int outputCount) {
        return ShapeProbe.byForward(this, inputShapes, outputCount);
    }
}
