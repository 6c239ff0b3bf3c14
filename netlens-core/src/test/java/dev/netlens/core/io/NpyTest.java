package dev.netlens.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Npy: round trips, files written by numpy (see src/test/resources/npy/make_npy.py), and clear errors. */
class NpyTest {

    private static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource npy/" + name + "; run make_npy.py there", e);
        }
    }

    /** The pattern make_npy.py writes: element i is i - 5 (unsigned: i; bool: i % 3 == 0). */
    private static float[] pattern(int n, String dtype) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (dtype) {
                case "bool" -> i % 3 == 0 ? 1 : 0;
                case "uint8" -> i;
                default -> i - 5;
            };
        }
        return v;
    }

    @Test
    void writeThenReadRoundTrips(@TempDir Path dir) {
        SplittableRandom r = new SplittableRandom(3);
        for (int[] shape : List.of(new int[0], new int[] {0}, new int[] {7}, new int[] {2, 3, 4},
                new int[] {1, 3, 5, 5}, new int[] {3, 0, 2}, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})) {
            Tensor t = Tensor.randomNormal(r, 1f, shape);
            Path file = dir.resolve("t.npy");
            Npy.write(file, t);
            Tensor back = Npy.read(file);
            assertArrayEquals(shape, back.shape(), Arrays.toString(shape));
            assertArrayEquals(t.data(), back.data(), 0f);
        }
    }

    @Test
    void writtenHeaderIsWhatNumpyWrites(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.npy");
        for (String name : List.of("float32_cube.npy", "float32_scalar.npy", "float32_empty.npy")) {
            byte[] numpy = Files.readAllBytes(fixture(name));
            Tensor t = Npy.read(fixture(name));
            Npy.write(file, t);
            // byte for byte what numpy.save wrote, header and data
            assertArrayEquals(numpy, Files.readAllBytes(file), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64", "float16", "int64", "int32", "int8", "uint8", "bool"})
    void readsNumpyFilesOfEveryDtype(String dtype) {
        Tensor cube = Npy.read(fixture(dtype + "_cube.npy"));
        assertArrayEquals(new int[] {2, 3, 4}, cube.shape());
        assertArrayEquals(pattern(24, dtype), cube.data(), 0f);
        Tensor scalar = Npy.read(fixture(dtype + "_scalar.npy"));
        assertEquals(0, scalar.rank());
        assertEquals(pattern(1, dtype)[0], scalar.item());
        Tensor empty = Npy.read(fixture(dtype + "_empty.npy"));
        assertArrayEquals(new int[] {0}, empty.shape());
        assertEquals(0, empty.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"float32_bigendian.npy", "float32_v2.npy", "float32_v3.npy"})
    void readsOtherByteOrdersAndVersions(String name) {
        Tensor t = Npy.read(fixture(name));
        assertArrayEquals(new int[] {2, 3, 4}, t.shape());
        assertArrayEquals(pattern(24, "float32"), t.data(), 0f);
    }

    @Test
    void fortranOrderIsAClearError() {
        Path file = fixture("float32_fortran.npy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("Fortran"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"complex64.npy", "unicode.npy", "structured.npy"})
    void unsupportedDtypesAreClearErrors(String name) {
        Path file = fixture(name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("dtype"), e.getMessage());
    }

    @Test
    void truncatedFilesAreClearErrors(@TempDir Path dir) throws IOException {
        byte[] full = Files.readAllBytes(fixture("float64_cube.npy"));
        Path file = dir.resolve("cut.npy");
        for (int len = 0; len < full.length; len++) {
            Files.write(file, Arrays.copyOf(full, len));
            int n = len;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(file),
                    "prefix " + n);
            assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        }
        Files.write(file, Arrays.copyOf(full, full.length - 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("needs 192 bytes"),
                e.getMessage());
        Files.write(file, Arrays.copyOf(full, full.length + 3));
        e = assertThrows(IllegalArgumentException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("3 unexpected bytes"), e.getMessage());
    }

    @Test
    void malformedFilesAreClearErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.npy");
        Files.writeString(file, "just text");
        assertMessage(file, "not a .npy file");
        Files.write(file, new byte[0]);
        assertMessage(file, "empty file");
        Files.write(file, header(9, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }"));
        assertMessage(file, "version 9.0");
        Files.write(file, header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,) "));
        assertMessage(file, "malformed header");
        Files.write(file, header(1, "{'descr': '<f4', 'shape': (1,), }"));
        assertMessage(file, "'fortran_order'");
        Files.write(file, header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"));
        assertMessage(file, "invalid shape extent -1");
        Files.write(file, header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }"));
        assertMessage(file, "2^31-1 elements");
        Files.write(file, header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"));
        assertMessage(file, "invalid integer");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(dir.resolve("missing.npy")));
        assertEquals(dir.resolve("missing.npy") + ": file not found", e.getMessage());
    }

    private static void assertMessage(Path file, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(file), part);
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(part), e.getMessage());
    }

    private static byte[] header(int major, String dict) {
        byte[] h = dict.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0, (byte) h.length, 0};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(h, 0, out, 10, h.length);
        return out;
    }
}
