package dev.netlens.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.concepts.BrodenDataset;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mergeability of per-batch IoU tallies, serialisation, and interrupted-then-resumed runs. */
class DissectionStateTest {
    private static final class Stop extends RuntimeException {
    }

    @Test
    void tallyOfTwoHalvesMergedEqualsTallyOfWholeAndRoundTrips() throws IOException {
        BrodenDataset data = ProbeData.data();
        Graph net = ProbeData.randomNet();
        ConceptIndex index = ConceptIndex.of(data, null);
        LayerDissection layer = Dissection.builder(net, "conv2").build().run(data, Dissection.Listener.NONE, null)
                .layer("conv2");
        float[] t = new float[layer.units().size()];
        for (int k = 0; k < t.length; k++) {
            t[k] = layer.units().get(k).threshold();
        }
        IouTally whole = new IouTally(t.length, index.size(), index.categories().size());
        IouTally first = new IouTally(t.length, index.size(), index.categories().size());
        IouTally second = new IouTally(t.length, index.size(), index.categories().size());
        Dissection.UpsamplerCache cache = new Dissection.UpsamplerCache();
        for (int i = 0; i < data.size(); i++) {
            Tensor a = net.run().outputs("conv2").forward(ProbeData.input(data, i)).output("conv2");
            ImageConcepts c = ImageConcepts.of(data.segmentation(i), index);
            Dissection.tallyImage(whole, a, 0, t, c, cache);
            Dissection.tallyImage(i < data.size() / 2 ? first : second, a, 0, t, c, cache);
        }
        second.merge(first);
        assertEquals(whole, second);
        assertTrue(whole.intersection(0, 0) >= 0 && whole.images() == data.size());
        // the runner's tally gives the same IoUs
        for (int k = 0; k < t.length; k++) {
            ConceptScore best = layer.units().get(k).best();
            int c = index.dense(best.number());
            assertEquals(best.iou(), whole.iou(k, c, index.category(c)), 0);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        whole.write(new DataOutputStream(bytes));
        assertEquals(whole, IouTally.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    }

    @Test
    void interruptedRunResumesToIdenticalResults(@TempDir Path dir) {
        BrodenDataset data = ProbeData.data();
        Graph net = ProbeData.randomNet();
        Dissection dissection = Dissection.builder(net, "pool1", "conv2").batchSize(6)
                .saveInterval(java.time.Duration.ZERO).build();
        DissectionResult reference = Dissection.builder(net, "pool1", "conv2").batchSize(6).cacheActivations(false).build()
                .run(data, Dissection.Listener.NONE, null);

        // stop once in pass 1 and once in pass 2
        for (int[] stopAt : new int[][] {{1, 3}, {2, 5}}) {
            assertThrows(Stop.class, () -> dissection.run(data, p -> {
                if (p.pass() == stopAt[0] && p.batch() == stopAt[1]) {
                    throw new Stop();
                }
            }, dir));
        }
        assertTrue(Files.exists(dir.resolve("activations-1.f32")), "pass 1 cached the activations for pass 2");
        List<Dissection.Progress> seen = new ArrayList<>();
        DissectionResult resumed = dissection.run(data, seen::add, dir);
        assertTrue(!Files.exists(dir.resolve("activations-1.f32")), "the cache is deleted when the run is done");
        assertEquals(2, seen.get(0).pass(), "resumed in pass 2");
        assertEquals(6, seen.get(0).batch(), "resumed after the last saved batch");
        assertEquals(reference.layers(), resumed.layers());
        for (LayerDissection l : reference.layers()) {
            assertEquals(TallyCsv.format(l), TallyCsv.format(resumed.layer(l.layer())));
        }
        // a finished state answers at once
        List<Dissection.Progress> none = new ArrayList<>();
        assertEquals(reference.layers(), dissection.run(data, none::add, dir).layers());
        assertTrue(none.isEmpty());
        // a different run refuses the state
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dissection.builder(net, "conv2").build().run(data, Dissection.Listener.NONE, dir));
        assertTrue(e.getMessage().contains("another dissection"), e.getMessage());
    }

    @Test
    void withTheDefaultSaveIntervalAResumedRunIsStillIdentical(@TempDir Path dir) {
        BrodenDataset data = ProbeData.data();
        Graph net = ProbeData.randomNet();
        Dissection dissection = Dissection.builder(net, "conv2").batchSize(5).build();
        DissectionResult reference = dissection.run(data, Dissection.Listener.NONE, null);
        assertThrows(Stop.class, () -> dissection.run(data, p -> {
            if (p.pass() == 2 && p.batch() == 3) {
                throw new Stop();
            }
        }, dir));
        // resumes from the last save (the end of pass 1), reading pass 1's activations from the cache
        List<Dissection.Progress> seen = new ArrayList<>();
        DissectionResult resumed = dissection.run(data, seen::add, dir);
        assertEquals(2, seen.get(0).pass());
        assertEquals(reference.layers(), resumed.layers());
    }

    @Test
    void writersProduceTallyCsvAndResultJson(@TempDir Path dir) throws IOException {
        BrodenDataset data = ProbeData.data();
        DissectionResult r = Dissection.builder(ProbeData.randomNet(), "conv2").build()
                .run(data, Dissection.Listener.NONE, null);
        LayerDissection l = r.layer("conv2");
        TallyCsv.write(l, dir.resolve("tally.csv"));
        ResultJson.write(r, dir.resolve("result.json"));
        List<String> lines = Files.readAllLines(dir.resolve("tally.csv"));
        assertEquals("unit,category,label,score,color-label,color-iou,object-label,object-iou,part-label,part-iou,"
                + "texture-label,texture-iou,scene-label,scene-iou", lines.get(0));
        assertEquals(l.units().size() + 1, lines.size());
        assertTrue(lines.get(1).startsWith("1," + l.units().get(0).best().category() + ","));
        String json = Files.readString(dir.resolve("result.json"));
        assertTrue(json.contains("\"layer\": \"conv2\"") && json.contains("\"detectors\": " + l.detectors().size()));
        assertEquals(l.detectors().size(), l.detectorsPerCategory().values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void builderRejectsBadSettings() {
        Graph net = ProbeData.randomNet();
        assertThrows(IllegalArgumentException.class, () -> Dissection.builder(net, "nope"));
        assertThrows(IllegalArgumentException.class, () -> Dissection.builder(net));
        assertThrows(IllegalArgumentException.class, () -> Dissection.builder(net, "conv2").quantile(0));
        assertThrows(IllegalArgumentException.class, () -> Dissection.builder(net, "conv2").batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> Dissection.builder(net, "conv2").categories("smell").build()
                .run(ProbeData.data(), Dissection.Listener.NONE, null));
    }
}
