package dev.netlens.core.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checkpointing (state → loadState → continue is bit-exact), skipping, validation of steps, state and builders. */
class OptimizerStateTest {
    static Stream<String> configs() {
        return GoldenProblem.CONFIGS.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void resumingFromSavedStateIsBitExact(String config) {
        GoldenProblem.Config c = GoldenProblem.CONFIGS.get(config);
        Map<String, Tensor> straight = GoldenProblem.initialParameters();
        GoldenProblem.run(c.optimizer().get(), c.learningRate(), straight, 0, 6);

        Map<String, Tensor> resumed = GoldenProblem.initialParameters();
        Optimizer first = c.optimizer().get();
        GoldenProblem.run(first, c.learningRate(), resumed, 0, 3);
        Map<String, Tensor> saved = first.state();
        GoldenProblem.run(first, c.learningRate(), GoldenProblem.initialParameters(), 0, 2); // must not touch `saved`
        Optimizer second = c.optimizer().get();
        second.loadState(saved);
        GoldenProblem.run(second, c.learningRate(), resumed, 3, 6);

        for (String n : straight.keySet()) {
            assertArrayEquals(straight.get(n).data(), resumed.get(n).data(), config + " " + n);
        }
    }

    @Test
    void stateHoldsStepCountsAndBuffersPerParameter() {
        Optimizer adam = Adam.builder().amsgrad(true).build();
        Map<String, Tensor> params = GoldenProblem.initialParameters();
        GoldenProblem.run(adam, 1e-3, params, 0, 4);        // "b" has no gradient at step 2
        Map<String, Tensor> state = adam.state();
        assertEquals(4f, state.get("step/w").item());
        assertEquals(3f, state.get("step/b").item());
        assertTrue(state.get("exp_avg/w").hasShape(4, 5));
        assertTrue(state.get("max_exp_avg_sq/b").hasShape(3));
        assertEquals(8, state.size());

        Optimizer sgd = Sgd.builder().learningRate(0.1).momentum(0.9).build();
        assertTrue(sgd.state().isEmpty());
        sgd.step(params, Map.of("w", Tensor.ones(4, 5)));
        assertEquals(1f, sgd.state().get("momentum_buffer/w").data()[0]);   // first buffer = the gradient
        assertTrue(Sgd.builder().learningRate(0.1).build().state().isEmpty());
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Map<String, Tensor> params = GoldenProblem.initialParameters();
        float[] before = params.get("b").data().clone();
        Optimizer adamw = AdamW.builder().weightDecay(0.5).build();
        adamw.step(params, Map.of("w", Tensor.ones(4, 5)));
        assertArrayEquals(before, params.get("b").data(), 0f);       // not even decayed
        assertTrue(adamw.state().keySet().stream().noneMatch(k -> k.endsWith("/b")));
    }

    @Test
    void stepValidatesBeforeUpdatingAnything() {
        Map<String, Tensor> params = GoldenProblem.initialParameters();
        float[] w = params.get("w").data().clone();
        Optimizer sgd = Sgd.builder().learningRate(0.1).build();
        Map<String, Tensor> grads = new LinkedHashMap<>();
        grads.put("w", Tensor.ones(4, 5));
        grads.put("c", Tensor.ones(3));
        String m = assertThrows(IllegalArgumentException.class, () -> sgd.step(params, grads)).getMessage();
        assertTrue(m.contains("'c'") && m.contains("no parameter"), m);
        assertArrayEquals(w, params.get("w").data(), 0f);
        m = assertThrows(IllegalArgumentException.class,
                () -> sgd.step(params, Map.of("w", Tensor.ones(5, 4)))).getMessage();
        assertTrue(m.contains("[5, 4]") && m.contains("[4, 5]"), m);

        Optimizer adam = Adam.builder().build();
        adam.step(params, Map.of("b", Tensor.ones(3)));
        Map<String, Tensor> other = Map.of("b", Tensor.zeros(2));
        m = assertThrows(IllegalArgumentException.class, () -> adam.step(other, Map.of("b", Tensor.ones(2)))).getMessage();
        assertTrue(m.contains("state of 'b'"), m);
    }

    @Test
    void loadStateRejectsForeignOrIncompleteState() {
        Optimizer adam = Adam.builder().build();
        GoldenProblem.run(adam, 1e-3, GoldenProblem.initialParameters(), 0, 2);
        Map<String, Tensor> state = adam.state();

        Optimizer amsgrad = Adam.builder().amsgrad(true).build();
        String m = assertThrows(IllegalArgumentException.class, () -> amsgrad.loadState(state)).getMessage();
        assertTrue(m.contains("max_exp_avg_sq/w"), m);
        Map<String, Tensor> bad = new LinkedHashMap<>(state);
        bad.put("momentum_buffer/w", Tensor.zeros(4, 5));
        m = assertThrows(IllegalArgumentException.class, () -> Adam.builder().build().loadState(bad)).getMessage();
        assertTrue(m.contains("momentum_buffer/w"), m);
        Map<String, Tensor> fractional = new LinkedHashMap<>(state);
        fractional.put("step/w", Tensor.scalar(1.5f));
        m = assertThrows(IllegalArgumentException.class, () -> Adam.builder().build().loadState(fractional)).getMessage();
        assertTrue(m.contains("non-negative integer"), m);
        Map<String, Tensor> misshapen = new LinkedHashMap<>(state);
        misshapen.put("exp_avg_sq/w", Tensor.zeros(20));
        assertThrows(IllegalArgumentException.class, () -> Adam.builder().build().loadState(misshapen));

        Optimizer plainSgd = Sgd.builder().learningRate(0.1).build();
        m = assertThrows(IllegalArgumentException.class,
                () -> plainSgd.loadState(Map.of("momentum_buffer/w", Tensor.zeros(3)))).getMessage();
        assertTrue(m.contains("no momentum"), m);
        // parameter names may contain '/' (ONNX names)
        Optimizer sgd = Sgd.builder().learningRate(0.1).momentum(0.5).build();
        sgd.loadState(Map.of("momentum_buffer//layer1/conv", Tensor.ones(2)));
        assertTrue(sgd.state().containsKey("momentum_buffer//layer1/conv"));
    }

    @Test
    void buildersValidateWithHelpfulMessages() {
        String m = assertThrows(IllegalArgumentException.class, () -> Sgd.builder().build()).getMessage();
        assertTrue(m.contains("learning rate is required"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Sgd.builder().learningRate(0)).getMessage();
        assertTrue(m.contains("> 0"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Sgd.builder().learningRate(0.1).nesterov(true).build()).getMessage();
        assertTrue(m.contains("Nesterov") && m.contains("momentum > 0"), m);
        assertThrows(IllegalArgumentException.class,
                () -> Sgd.builder().learningRate(0.1).momentum(0.9).dampening(0.1).nesterov(true).build());
        assertThrows(IllegalArgumentException.class, () -> Sgd.builder().momentum(-0.1));
        assertThrows(IllegalArgumentException.class, () -> Sgd.builder().weightDecay(Double.NaN));
        m = assertThrows(IllegalArgumentException.class, () -> Adam.builder().betas(0.9, 1.0)).getMessage();
        assertTrue(m.contains("beta2") && m.contains("[0, 1)"), m);
        assertThrows(IllegalArgumentException.class, () -> AdamW.builder().epsilon(-1));
        assertThrows(IllegalArgumentException.class, () -> AdamW.builder().learningRate(Double.POSITIVE_INFINITY));

        // builders are immutable: a shared base stays unchanged
        Sgd.Builder base = Sgd.builder().learningRate(0.1);
        Sgd withMomentum = base.momentum(0.9).build();
        assertEquals(0.9, withMomentum.momentum());
        assertEquals(0.0, base.build().momentum());
        assertEquals(1e-2, AdamW.builder().build().weightDecay());
        assertEquals(0.0, Adam.builder().build().weightDecay());

        Optimizer opt = Adam.builder().build();
        opt.learningRate(0);                                          // schedules may reach 0
        assertThrows(IllegalArgumentException.class, () -> opt.learningRate(-1e-3));
    }
}
