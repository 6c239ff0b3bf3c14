package dev.netlens.data.bundled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundledFashionMnistTest {

    @Test
    void samplesAreTenTestImagesPerClass() {
        List<BundledFashionMnist.Sample> samples = BundledFashionMnist.samples();
        assertEquals(100, samples.size());
        int[] perClass = new int[10];
        for (BundledFashionMnist.Sample s : samples) {
            perClass[s.label()]++;
            assertArrayEquals(new int[] {1, 1, 28, 28}, s.image().shape());
            assertTrue(s.file().contains(BundledFashionMnist.classNames().get(s.label()).toLowerCase()
                    .replace('/', '-').replace(' ', '-')), s.file());
        }
        assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, perClass);
    }

    @Test
    void theBundledModelClassifiesItsSamples() {
        Graph model = BundledFashionMnist.model();
        assertTrue(model.metadata().get("netlens.classes").contains("Ankle boot"));
        assertEquals("28,28", model.metadata().get("netlens.input_size"));
        List<BundledFashionMnist.Sample> samples = BundledFashionMnist.samples();
        float[] batch = new float[100 * 784];
        for (int i = 0; i < 100; i++) {
            System.arraycopy(samples.get(i).image().data(), 0, batch, i * 784, 784);
        }
        Tensor logits = model.forward(Tensor.of(batch, 100, 1, 28, 28)).get("logits");
        int correct = 0;
        for (int i = 0; i < 100; i++) {
            int best = 0;
            for (int k = 1; k < 10; k++) {
                if (logits.data()[i * 10 + k] > logits.data()[i * 10 + best]) {
                    best = k;
                }
            }
            correct += best == samples.get(i).label() ? 1 : 0;
        }
        // the model's test accuracy is above 92 %; on these 100 images it must be clearly better than chance
        assertTrue(correct >= 85, correct + " of 100 samples classified correctly");
    }
}
