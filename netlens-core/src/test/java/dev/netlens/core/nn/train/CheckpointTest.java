package dev.netlens.core.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Checkpoint sample() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("epoch", "3");
        state.put("config.note", "a=b\nc\\d");
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("conv.weight", Tensor.randomNormal(new SplittableRandom(1), 1f, 70000));
        model.put("scalar", Tensor.scalar(2.5f));
        return new Checkpoint(state, model, Map.of("step", Tensor.scalar(7)));
    }

    @Test
    void roundTripsExactly() throws Exception {
        Path f = dir.resolve("run.ckpt");
        Checkpoint c = sample();
        c.write(f);
        Checkpoint back = Checkpoint.read(f);
        assertEquals(c.state(), back.state());
        assertArrayEquals(c.model().get("conv.weight").data(), back.model().get("conv.weight").data());
        assertArrayEquals(new int[0], back.model().get("scalar").shape());
        assertEquals(7f, back.optimizer().get("step").item());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void corruptAndTruncatedFilesAreRejectedByName() throws Exception {
        Path f = dir.resolve("run.ckpt");
        sample().write(f);
        byte[] bytes = Files.readAllBytes(f);
        Path truncated = dir.resolve("truncated.ckpt");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(truncated));
        assertTrue(e.getMessage().contains("truncated.ckpt") && e.getMessage().contains("truncated"), e.getMessage());
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x40;
        Path corrupt = dir.resolve("corrupt.ckpt");
        Files.write(corrupt, flipped);
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(corrupt));
        assertTrue(e.getMessage().contains("corrupt.ckpt") && e.getMessage().contains("corrupt"), e.getMessage());
        Path other = dir.resolve("model.onnx");
        Files.writeString(other, "not a checkpoint at all");
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(other));
        assertTrue(e.getMessage().contains("not a netlens training checkpoint"), e.getMessage());
    }
}
