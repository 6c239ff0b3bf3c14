package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.onnx.OnnxImporter;
import dev.netlens.core.tensor.Tensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's resume criterion end to end: a {@code netlens train} process killed with SIGKILL in the
 * middle of training and then run again ends with exactly the weights of an uninterrupted run.
 */
class TrainKillResumeTest {
    @TempDir
    Path dir;

    private String[] args(Path data, Path out) {
        return new String[] {"train", "--dataset", "idx:" + data, "--arch", "resnet8", "--epochs", "3", "--batch", "32",
            "--validation", "64", "--checkpoint-every", "3", "--seed", "5", "--out", out.toString()};
    }

    @Test
    void killedAndResumedEqualsUninterrupted() throws Exception {
        Path data = dir.resolve("planted");
        TrainEvalCommandTest.writeIdx(data, "train", 640, 3, -1);
        Path reference = dir.resolve("reference.onnx");
        StringWriter err = new StringWriter();
        assertEquals(0, Main.execute(args(data, reference), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true)), err.toString());

        Path killed = dir.resolve("killed.onnx");
        Path checkpoint = dir.resolve("killed.onnx.ckpt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            // the same kernels as this JVM (the launcher adds the module too): the Vector API
            // kernels sum in another order than the scalar fallbacks
            command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dnetlens.threads=2", Main.class.getName()));
        command.addAll(List.of(args(data, killed)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long firstSize = -1;
        long firstModified = 0;
        // wait until the checkpoint has been rewritten at least once after it first appeared: mid-epoch 1 or later
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(checkpoint)) {
                long modified = Files.getLastModifiedTime(checkpoint).toMillis();
                if (firstSize < 0) {
                    firstSize = Files.size(checkpoint);
                    firstModified = modified;
                } else if (modified != firstModified) {
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the training process ended before it could be killed: " + Files.readString(dir.resolve("log.txt")));
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertTrue(Files.exists(checkpoint));

        StringWriter out = new StringWriter();
        assertEquals(0, Main.execute(args(data, killed), new PrintWriter(out, true), new PrintWriter(err, true)), err.toString());
        assertTrue(out.toString().contains("resuming from"), out.toString());
        Graph a = OnnxImporter.load(reference);
        Graph b = OnnxImporter.load(killed);
        for (Map.Entry<String, Tensor> e : a.parameters().entrySet()) {
            assertArrayEquals(e.getValue().data(), b.parameters().get(e.getKey()).data(), e.getKey());
        }
    }
}
