package dev.netlens.explain.blackbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.bundled.BundledConceptModel;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Target;
import dev.netlens.explain.perturbation.Occlusion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The black-box adapters agree with each other and with the engine, and reject bad input clearly. */
class PredictorTest {
    @TempDir
    Path dir;

    Path bundledConceptModel() throws Exception {
        Path file = dir.resolve("concepts.onnx");
        Files.write(file, BundledConceptModel.modelBytes());
        return file;
    }

    static Tensor images(int n) {
        return Tensor.randomNormal(new SplittableRandom(11), 1f, n, 3, 48, 48);
    }

    @Test
    void onnxRuntimeAgreesWithTheEngine() throws Exception {
        Path file = bundledConceptModel();
        Tensor x = images(5);
        Tensor engine = Predictor.of(ExplainedModel.load(file)).predict(x);
        try (OnnxRuntimePredictor ort = OnnxRuntimePredictor.load(file)) {
            Tensor other = ort.predict(x);
            assertArrayEquals(engine.shape(), other.shape());
            for (int e = 0; e < engine.size(); e++) {
                assertEquals(engine.data()[e], other.data()[e], 1e-4 * (1 + Math.abs(engine.data()[e])), "score " + e);
            }
            assertArrayEquals(new int[] {3, 48, 48}, ort.inputShape());
            assertEquals(ExplainedModel.sha256(file), ort.sha256());
            assertTrue(ort.describe().contains("concepts.onnx"), ort.describe());
        }
    }

    @Test
    void occlusionGivesTheSameMapOnEitherBackend() throws Exception {
        Path file = bundledConceptModel();
        Tensor x = images(1);
        Tensor engine = Occlusion.builder(ExplainedModel.load(file)).window(3, 8, 8).stride(3, 8, 8).build()
                .explain(x, Target.classes(2)).map();
        try (OnnxRuntimePredictor ort = OnnxRuntimePredictor.load(file)) {
            Tensor other = Occlusion.builder(ort).window(3, 8, 8).stride(3, 8, 8).build().explain(x, Target.classes(2)).map();
            double max = 0;
            for (float v : engine.data()) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max > 0);
            for (int e = 0; e < engine.size(); e++) {
                assertEquals(engine.data()[e], other.data()[e], 1e-3 * max, "element " + e);
            }
        }
    }

    @Test
    void chunksDoNotChangeScores() {
        Predictor rowSums = Predictor.of(new int[] {4}, x -> {
            int n = x.dim(0);
            float[] out = new float[2 * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 4; j++) {
                    out[2 * i] += x.data()[4 * i + j];
                    out[2 * i + 1] -= j * x.data()[4 * i + j];
                }
            }
            return Tensor.of(out, n, 2);
        });
        Tensor x = Tensor.randomNormal(new SplittableRandom(2), 1f, 11, 4);
        Tensor whole = rowSums.predict(x);
        for (int chunk : new int[] {1, 3, 11, 64}) {
            assertArrayEquals(whole.data(), rowSums.predictInChunks(x, chunk).data(), "chunk " + chunk);
        }
    }

    @Test
    void aPredictorReturningTheWrongNumberOfRowsIsCaught() {
        Predictor broken = Predictor.of(new int[] {4}, x -> Tensor.zeros(1, 3));
        var e = assertThrows(IllegalStateException.class, () -> broken.predictInChunks(Tensor.zeros(5, 4), 2));
        assertTrue(e.getMessage().contains("[1, 3]") && e.getMessage().contains("batch of 2"), e.getMessage());
    }

    @Test
    void valueTargetsNeedTheEngine() throws Exception {
        try (OnnxRuntimePredictor ort = OnnxRuntimePredictor.load(bundledConceptModel())) {
            var e = assertThrows(IllegalArgumentException.class, () -> Occlusion.builder(ort).build()
                    .explain(images(1), dev.netlens.explain.NeuronTarget.channel("layer1", 0)));
            assertTrue(e.getMessage().contains("netlens engine"), e.getMessage());
        }
    }

    @Test
    void missingAndCorruptModelsAreClearErrors() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxRuntimePredictor.load(dir.resolve("none.onnx")));
        assertTrue(e.getMessage().contains("none.onnx") && e.getMessage().contains("does not exist"), e.getMessage());
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "not a model");
        e = assertThrows(IllegalArgumentException.class, () -> OnnxRuntimePredictor.load(junk));
        assertTrue(e.getMessage().contains("junk.onnx"), e.getMessage());
    }
}
