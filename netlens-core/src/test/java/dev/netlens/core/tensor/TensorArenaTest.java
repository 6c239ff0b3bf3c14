package dev.netlens.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TensorArenaTest {
    private static final int BIG = TensorArena.MIN_LENGTH;

    @Test
    void outsideAScopeEveryArrayIsNewAndZero() {
        TensorArena arena = TensorArena.poisoning();
        float[] held;
        try (TensorArena.Scope s = arena.enter()) {
            held = Tensor.uninitialized(BIG).data();
        }
        Tensor t = Tensor.uninitialized(BIG);
        assertNotSame(held, t.data());
        for (float v : t.data()) {
            assertEquals(0f, v);
        }
        assertEquals(1, arena.heldArrays());
    }

    @Test
    void theNextScopeGetsTheArraysOfThePreviousOneByLength() {
        TensorArena arena = TensorArena.create();
        float[] a;
        float[] b;
        try (TensorArena.Scope s = arena.enter()) {
            a = Tensor.uninitialized(2, BIG / 2).data();
            b = Tensor.uninitialized(BIG * 2).data();
            // Within one scope an array is handed out once.
            assertNotSame(a, Tensor.uninitialized(BIG).data());
        }
        try (TensorArena.Scope s = arena.enter()) {
            assertSame(b, Tensor.uninitialized(BIG * 2).data());
            assertSame(a, Tensor.uninitialized(BIG).data());
        }
    }

    @Test
    void smallArraysAndZerosNeverComeFromTheArena() {
        TensorArena arena = TensorArena.create();
        float[][] held = new float[2][];
        try (TensorArena.Scope s = arena.enter()) {
            held[0] = Tensor.uninitialized(BIG - 1).data();
            held[1] = Tensor.zeros(BIG).data();
        }
        assertEquals(0, arena.heldArrays());
    }

    @Test
    void arraysTheLastScopeDidNotNeedAreDropped() {
        TensorArena arena = TensorArena.create();
        float[][] held = new float[3][];
        try (TensorArena.Scope s = arena.enter()) {
            held[0] = Tensor.uninitialized(BIG).data();
            held[1] = Tensor.uninitialized(BIG * 3).data();
        }
        assertEquals(2, arena.heldArrays());
        try (TensorArena.Scope s = arena.enter()) {
            held[2] = Tensor.uninitialized(BIG).data();
        }
        assertEquals(1, arena.heldArrays());
        arena.release();
        assertEquals(0, arena.heldArrays());
    }

    @Test
    void aPoisoningArenaFillsRecycledArraysWithNaN() {
        TensorArena arena = TensorArena.poisoning();
        float[] held;
        try (TensorArena.Scope s = arena.enter()) {
            held = Tensor.uninitialized(BIG).data();
            held[7] = 1f;
        }
        try (TensorArena.Scope s = arena.enter()) {
            float[] d = Tensor.uninitialized(BIG).data();
            assertTrue(Float.isNaN(d[7]) && Float.isNaN(d[0]) && Float.isNaN(d[BIG - 1]));
        }
    }

    @Test
    void anOffArenaRecyclesNothing() {
        TensorArena arena = ArenaModes.with("off", TensorArena::create);
        float[] held;
        try (TensorArena.Scope s = arena.enter()) {
            held = Tensor.uninitialized(BIG).data();
        }
        assertEquals(0, arena.heldArrays());
        assertEquals(BIG, held.length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArenaModes.with("sometimes", TensorArena::create));
        assertTrue(e.getMessage().contains("on, off or poison"), e.getMessage());
    }

    @Test
    void nestedScopesRestoreTheOuterOne() {
        TensorArena outer = TensorArena.create();
        TensorArena inner = TensorArena.create();
        float[][] held = new float[2][];
        try (TensorArena.Scope s = outer.enter()) {
            try (TensorArena.Scope t = inner.enter()) {
                held[0] = Tensor.uninitialized(BIG).data();
            }
            held[1] = Tensor.uninitialized(BIG * 2).data();
        }
        assertEquals(1, inner.heldArrays());
        assertEquals(1, outer.heldArrays());
    }

    @Test
    void beyondItsBudgetAScopeKeepsNothingAliveThatTheComputationDropped() throws Exception {
        // Budget for one array: the first is held (recycled even though dropped), the second not.
        TensorArena arena = TensorArena.create().strongBytes(4L * BIG);
        java.lang.ref.WeakReference<float[]> dropped;
        try (TensorArena.Scope s = arena.enter()) {
            Tensor.uninitialized(BIG);
            dropped = new java.lang.ref.WeakReference<>(Tensor.uninitialized(BIG * 4).data());
            for (int i = 0; i < 20 && dropped.get() != null; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertTrue(dropped.get() == null, "an array dropped beyond the budget is collectable");
        }
        assertEquals(1, arena.heldArrays());
    }

    @Test
    void aScopeClosedOnAnotherThreadIsRefused() throws Exception {
        TensorArena arena = TensorArena.create();
        TensorArena.Scope s = arena.enter();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                s.close();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        t.join();
        s.close();
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("closed on the thread that opened it"));
    }
}
