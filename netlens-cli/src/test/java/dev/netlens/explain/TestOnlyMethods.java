package dev.netlens.explain;

import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stand-in attribution methods for the CLI tests, registered under names no real method uses
 * ("test-…"), so that {@code netlens attribute} can be exercised whatever the registry holds. They
 * compute real quantities through {@link Gradients}: the input gradient, and a Grad-CAM-style map
 * (ReLU of the gradient-weighted channel sum of a layer's activation, at the layer's resolution).
 * Never part of the product: test sources only.
 */
public final class TestOnlyMethods {
    public static final String GRADIENT = "test-input-gradient";
    public static final String CAM = "test-layer-cam";
    public static final String ABS_GRADIENT = "test-abs-gradient";

    private TestOnlyMethods() {
    }

    /** Registers the stand-ins once per JVM. */
    public static synchronized void register() {
        if (AttributionMethods.all().containsKey(GRADIENT)) {
            return;
        }
        AttributionMethods.register(GRADIENT, "(test only) raw input gradient", false, (m, o) -> new Attribution() {
            @Override
            public String name() {
                return GRADIENT;
            }

            @Override
            public Explanation explain(Tensor input, Target target) {
                Target t = target.resolve(m.forward(input));
                Tensor g = Gradients.input(m, input, t).gradient();
                return Explanation.of(g, GRADIENT, Map.of(), t, m);
            }
        });
        AttributionMethods.register(ABS_GRADIENT, "(test only) |input gradient|", false, (m, o) -> new Attribution() {
            @Override
            public String name() {
                return ABS_GRADIENT;
            }

            @Override
            public Explanation explain(Tensor input, Target target) {
                Target t = target.resolve(m.forward(input));
                Tensor g = Gradients.input(m, input, t).gradient().copy();
                float[] d = g.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = Math.abs(d[i]);
                }
                return Explanation.of(g, ABS_GRADIENT, Map.of(), t, m);
            }
        });
        AttributionMethods.register(CAM, "(test only) gradient-weighted layer activation", true, (m, o) -> new Attribution() {
            @Override
            public String name() {
                return CAM;
            }

            @Override
            public Explanation explain(Tensor input, Target target) {
                Target t = target.resolve(m.forward(input));
                Gradients.LayerGradient lg = Gradients.layer(m, input, t, o.layer());
                Tensor a = lg.activation();
                Tensor g = lg.gradient();
                int n = a.dim(0);
                int c = a.dim(1);
                int h = a.dim(2);
                int w = a.dim(3);
                Tensor out = Tensor.zeros(n, 1, h, w);
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < c; k++) {
                        double weight = 0;
                        int off = (i * c + k) * h * w;
                        for (int p = 0; p < h * w; p++) {
                            weight += g.data()[off + p];
                        }
                        weight /= h * w;
                        for (int p = 0; p < h * w; p++) {
                            out.data()[i * h * w + p] += (float) (weight * a.data()[off + p]);
                        }
                    }
                }
                if (!o.noRelu()) {
                    float[] d = out.data();
                    for (int p = 0; p < d.length; p++) {
                        d[p] = Math.max(0f, d[p]);
                    }
                }
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("layer", o.layer());
                params.put("relu", !o.noRelu());
                return Explanation.of(out, CAM, params, t, m);
            }
        });
    }
}
