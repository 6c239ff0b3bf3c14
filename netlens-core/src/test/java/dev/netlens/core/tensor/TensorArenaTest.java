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
        try (TensorArena.Scope s = arena.enter()) {
            Tensor.uninitialized(BIG);
        }
        Tensor t = Tensor.uninitialized(BIG);
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
        try (TensorArena.Scope s = arena.enter()) {
            Tensor.uninitialized(BIG - 1);
            Tensor.zeros(BIG);
        }
        assertEquals(0, arena.heldArrays());
    }

    @Test
    void arraysTheLastScopeDidNotNeedAreDropped() {
        TensorArena arena = TensorArena.create();
        try (TensorArena.Scope s = arena.enter()) {
            Tensor.uninitialized(BIG);
            Tensor.uninitialized(BIG * 3);
        }
        assertEquals(2, arena.heldArrays());
        try (TensorArena.Scope s = arena.enter()) {
            Tensor.uninitialized(BIG);
        }
        assertEquals(1, arena.heldArrays());
        arena.release();
        assertEquals(0, arena.heldArrays());
    }

    @Test
    void aPoisoningArenaFillsRecycledArraysWithNaN() {
        TensorArena arena = TensorArena.poisoning();
        try (TensorArena.Scope s = arena.enter()) {
            Tensor.uninitialized(BIG).data()[7] = 1f;
        }
        try (TensorArena.Scope s = arena.enter()) {
            float[] d = Tensor.uninitialized(BIG).data();
            assertTrue(Float.isNaN(d[7]) && Float.isNaN(d[0]) && Float.isNaN(d[BIG - 1]));
        }
    }

    @Test
    void anOffArenaRecyclesNothing() {
        String before = System.getProperty("netlens.arena");
        System.setProperty("netlens.arena", "off");
        try {
            TensorArena arena = TensorArena.create();
            try (TensorArena.Scope s = arena.enter()) {
                Tensor.uninitialized(BIG);
            }
            assertEquals(0, arena.heldArrays());
            System.setProperty("netlens.arena", "sometimes");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, TensorArena::create);
            assertTrue(e.getMessage().contains("on, off or poison"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty("netlens.arena");
            } else {
                System.setProperty("netlens.arena", before);
            }
        }
    }

    @Test
    void nestedScopesRestoreTheOuterOne() {
        TensorArena outer = TensorArena.create();
        TensorArena inner = TensorArena.create();
        try (TensorArena.Scope s = outer.enter()) {
            try (TensorArena.Scope t = inner.enter()) {
                Tensor.uninitialized(BIG);
            }
            Tensor.uninitialized(BIG * 2);
        }
        assertEquals(1, inner.heldArrays());
        assertEquals(1, outer.heldArrays());
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
