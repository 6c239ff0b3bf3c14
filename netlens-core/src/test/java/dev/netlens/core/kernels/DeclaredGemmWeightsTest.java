package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * OpenBLAS GEMMs whose B operand is a declared-constant array (a Gemm layer's weights) read a
 * cached off-heap copy: the same floats as staging it on every call, for both transpositions, and
 * a new copy once the array's fingerprint changes.
 */
class DeclaredGemmWeightsTest {
    @Test
    void aDeclaredOperandGivesTheSameProductsAsAStagedOne() {
        SplittableRandom r = new SplittableRandom(12);
        Kernels k = Kernels.openblas();
        int m = 3;
        int n = 200;
        int depth = 130;
        float[] a = KernelsTest.random(r, m * depth);
        for (boolean transB : new boolean[] {false, true}) {
            float[] declared = KernelsTest.random(r, depth * n);
            float[] plain = declared.clone();
            ConstantArrays.declare(declared);
            int ldb = transB ? depth : n;
            float[] want = new float[m * n];
            float[] got = new float[m * n];
            k.sgemm(false, transB, m, n, depth, 1f, a, 0, depth, plain, 0, ldb, 0f, want, 0, n);
            k.sgemm(false, transB, m, n, depth, 1f, a, 0, depth, declared, 0, ldb, 0f, got, 0, n);
            assertArrayEquals(want, got, "transB " + transB);
            // an edit the fingerprint sees (element 0 is always sampled) is picked up
            declared[0] += 1f;
            plain[0] += 1f;
            k.sgemm(false, transB, m, n, depth, 1f, a, 0, depth, plain, 0, ldb, 0f, want, 0, n);
            k.sgemm(false, transB, m, n, depth, 1f, a, 0, depth, declared, 0, ldb, 0f, got, 0, n);
            assertArrayEquals(want, got, "transB " + transB + " after an edit");
        }
    }
}
