package dev.netlens.core.kernels;

import java.lang.System.Logger.Level;

/** Picks the kernel implementation once, from {@code netlens.kernels}, and logs the choice. */
final class KernelsSelection {
    private static final System.Logger LOG = System.getLogger("dev.netlens.kernels");
    private static final JavaKernels JAVA = new JavaKernels();

    private KernelsSelection() {
    }

    private static final class OpenBlasHolder {
        static final OpenBlasKernels INSTANCE;
        static final Throwable FAILURE;

        static {
            OpenBlasKernels k = null;
            Throwable failure = null;
            try {
                k = new OpenBlasKernels(Parallel.threads());
            } catch (Throwable t) {
                failure = t;
            }
            INSTANCE = k;
            FAILURE = failure;
        }
    }

    private static final class SelectedHolder {
        static final Kernels SELECTED = select();
    }

    static Kernels java() {
        return JAVA;
    }

    static Kernels openblas() {
        if (OpenBlasHolder.INSTANCE == null) {
            throw new IllegalStateException("the OpenBLAS kernels are not available on this platform ("
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): "
                    + OpenBlasHolder.FAILURE + "; run with -Dnetlens.kernels=java", OpenBlasHolder.FAILURE);
        }
        return OpenBlasHolder.INSTANCE;
    }

    static Kernels selected() {
        return SelectedHolder.SELECTED;
    }

    private static Kernels select() {
        String requested = System.getProperty("netlens.kernels", "").trim().toLowerCase(java.util.Locale.ROOT);
        Kernels chosen;
        switch (requested) {
            case "java" -> chosen = JAVA;
            case "openblas" -> chosen = openblas();
            case "" -> {
                if (OpenBlasHolder.INSTANCE != null) {
                    chosen = OpenBlasHolder.INSTANCE;
                } else {
                    LOG.log(Level.WARNING, "OpenBLAS could not be loaded (" + OpenBlasHolder.FAILURE
                            + "); using the pure-Java kernels");
                    chosen = JAVA;
                }
            }
            default -> throw new IllegalArgumentException("netlens.kernels must be 'openblas' or 'java', got '"
                    + requested + "'");
        }
        LOG.log(Level.INFO, "netlens kernels: " + chosen.name() + ", threads: " + Parallel.threads());
        return chosen;
    }
}
