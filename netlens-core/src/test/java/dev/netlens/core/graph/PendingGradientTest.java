package dev.netlens.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netlens.core.kernels.ConvGeometry;
import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A value read by a convolution and by another node (a residual connection): the convolution adds
 * the gradient the value already has while it writes its data gradient
 * ({@code BackwardContext.takePendingGradient}), with the bits of the trace's own sum, and not when a
 * backward rule runs the node.
 */
class PendingGradientTest {
    /** 33 images, 16 channels at 14²: the direct output-channel kernels, which add while they write dX. */
    private static final int[] X = {33, 16, 14, 14};

    /** k, counting its calls of {@link Kernels#convBackwardDataAdding}. */
    private static Kernels counting(Kernels k, AtomicInteger adding) {
        return (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("convBackwardDataAdding")) {
                        adding.incrementAndGet();
                    }
                    try {
                        return method.invoke(k, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** x → Conv → c, x → Relu → r, y = c + r (the Conv first or second in the node order). */
    private static Graph residual(Tensor w, boolean convFirst) {
        Graph.Builder b = Graph.builder();
        b.input("x", X);
        b.parameter("w", w);
        if (convFirst) {
            b.node("conv", Conv.builder().pads(1, 1, 1, 1).build(), List.of("x", "w"), List.of("c"));
            b.node("relu", new Relu(), List.of("x"), List.of("r"));
        } else {
            b.node("relu", new Relu(), List.of("x"), List.of("r"));
            b.node("conv", Conv.builder().pads(1, 1, 1, 1).build(), List.of("x", "w"), List.of("c"));
        }
        b.node("add", new Add(), List.of("c", "r"), List.of("y"));
        b.output("y");
        return b.build();
    }

    @Test
    void theConvolutionAddsThePendingGradientWithTheTracesBits() {
        SplittableRandom r = new SplittableRandom(5);
        Tensor x = Tensor.randomNormal(r, 1f, X);
        Tensor w = Tensor.randomNormal(r, 0.2f, 16, 16, 3, 3);
        Tensor seed = Tensor.randomNormal(r, 1f, X);
        ConvGeometry g = new ConvGeometry(X[0], 16, X[2], X[3], 16, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1});
        for (Kernels k : List.of(Kernels.java(), Kernels.get())) {
            float[] conv = new float[x.size()];
            k.convBackwardData(g, seed.data(), w.data(), conv);
            float[] relu = new float[x.size()];
            for (int i = 0; i < relu.length; i++) {
                relu[i] = x.data()[i] > 0 ? seed.data()[i] : 0f;
            }
            float[] sum = new float[x.size()];
            float[] doubled = new float[x.size()];
            for (int i = 0; i < sum.length; i++) {
                sum[i] = relu[i] + conv[i];
                doubled[i] = relu[i] + 2 * conv[i];
            }
            for (boolean convFirst : new boolean[] {true, false}) {
                AtomicInteger adding = new AtomicInteger();
                Trace t = residual(w, convFirst).run().kernels(counting(k, adding)).record().forward(Map.of("x", x));
                Tensor dx = t.gradients(Map.of("y", seed), List.of("x")).get("x");
                assertArrayEquals(sum, dx.data(), k.name() + ", conv first " + convFirst);
                // differentiated after the Relu (first in the node order), the Conv takes the Relu's
                // gradient for x; differentiated first, it has none to take
                assertEquals(convFirst ? 1 : 0, adding.getAndSet(0), "adding calls, conv first " + convFirst);
                // the same when x's gradient is also asked for through the intermediate value r
                Map<String, Tensor> both = t.gradients(Map.of("y", seed), List.of("x", "r"));
                assertArrayEquals(sum, both.get("x").data(), k.name() + " with r, conv first " + convFirst);
                assertArrayEquals(seed.data(), both.get("r").data(), k.name() + " dr, conv first " + convFirst);
                adding.set(0);
                // a rule that runs the op's own backward pass and doubles it: the pending gradient
                // must not be in what it doubles
                Composite twice = Composite.builder().byName("conv", (ctx, gOut) -> {
                    Tensor[] own = ctx.op().backward(ctx, gOut);
                    float[] d = own[0].data();
                    for (int i = 0; i < d.length; i++) {
                        d[i] *= 2;
                    }
                    return own;
                }).build();
                Tensor ruled = t.gradients(Map.of("y", seed), List.of("x"), twice).get("x");
                assertArrayEquals(doubled, ruled.data(), k.name() + " with a rule, conv first " + convFirst);
                assertEquals(0, adding.get(), "a node run by a rule takes no pending gradient");
            }
        }
    }
}
