package dev.netlens.core.tensor;

import java.util.function.Supplier;

/** Runs test code with {@code netlens.arena} set to one mode, restoring the previous setting after. */
public final class ArenaModes {
    private ArenaModes() {
    }

    /** {@code body}'s result, computed with arenas created in {@code mode} (on, off or poison). */
    public static <T> T with(String mode, Supplier<T> body) {
        String before = System.getProperty("netlens.arena");
        System.setProperty("netlens.arena", mode);
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty("netlens.arena");
            } else {
                System.setProperty("netlens.arena", before);
            }
        }
    }
}
