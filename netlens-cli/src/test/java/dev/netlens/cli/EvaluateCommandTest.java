package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.io.Npy;
import dev.netlens.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netlens evaluate} end to end on the bundled concept model and generated concept scenes. */
class EvaluateCommandTest extends CliTestBase {
    @TempDir
    Path dir;

    @Test
    void evaluatesConceptScenesWritesTheReportAndRefusesToOverwrite() throws Exception {
        Path data = dir.resolve("scenes");
        assertEquals(0, run("concepts", "generate", "--out", data.toString(), "--count", "3", "--seed", "2"), err);
        Path result = dir.resolve("eval");
        String[] args = {"evaluate", "--data", data.toString(), "--images", "2", "--methods", "saliency,grad-cam",
            "--metrics", "deletion,insertion,pointing-game,energy-pointing-game", "--out", result.toString()};
        assertEquals(0, run(args), err);
        assertTrue(out.contains("2 images, 2 methods") && out.contains("grad-cam") && out.contains("report: "), out);
        List<String> summary = Files.readAllLines(result.resolve("summary.csv"));
        assertEquals(1 + 2 * 4, summary.size());
        assertTrue(summary.get(0).startsWith("method,metric,mean,stderr,n"), summary.get(0));
        for (String f : List.of("results.csv", "curves.csv", "result.json", "index.html", "deletion.png", "insertion.png",
                "bar-energy-pointing-game.png")) {
            assertTrue(Files.size(result.resolve(f)) > 100, f);
        }
        assertFalse(Files.exists(result.resolve("sanity.csv")));
        assertTrue(err.contains("evaluate [") && err.contains("ETA"), "progress with ETA: " + err);

        long before = Files.getLastModifiedTime(result.resolve("result.json")).toMillis();
        assertEquals(2, run(args));
        assertTrue(err.contains("already exists") && err.contains("--force"), err);
        assertEquals(1, err.strip().lines().count(), "one message: " + err);
        assertEquals(before, Files.getLastModifiedTime(result.resolve("result.json")).toMillis());
    }

    @Test
    void npyDataWorksForMetricsWithoutMasksAndIsRefusedForPointingGames() throws Exception {
        Path npy = dir.resolve("x.npy");
        Npy.write(npy, Tensor.randomUniform(new SplittableRandom(1), 0, 1, 2, 3, 48, 48));
        assertEquals(0, run("evaluate", "--data", npy.toString(), "--methods", "gradient", "--metrics", "deletion,aopc",
                "--out", dir.resolve("a").toString()), err);
        assertTrue(Files.readString(dir.resolve("a").resolve("summary.csv")).contains("gradient,aopc,"));

        assertEquals(2, run("evaluate", "--data", npy.toString(), "--metrics", "pointing-game", "--out",
                dir.resolve("b").toString()));
        assertTrue(err.contains("needs object masks"), err);
        assertEquals(2, run("evaluate", "--data", npy.toString(), "--metrics", "auc", "--out", dir.resolve("c").toString()));
        assertTrue(err.contains("unknown metric 'auc'"), err);
        assertEquals(2, run("evaluate", "--data", npy.toString(), "--methods", "nope", "--out", dir.resolve("d").toString()));
        assertTrue(err.contains("unknown method 'nope'"), err);
        assertEquals(2, run("evaluate", "--data", dir.resolve("missing").toString(), "--out", dir.resolve("e").toString()));
        assertTrue(err.contains("does not exist"), err);
    }

    @Test
    void helpDocumentsTheOptions() {
        assertEquals(0, run("evaluate", "--help"));
        for (String o : List.of("--model", "--data", "--methods", "--metrics", "--out", "--images", "--seed", "--target",
                "--sanity-images", "--force")) {
            assertTrue(out.contains(o), o);
        }
    }
}
