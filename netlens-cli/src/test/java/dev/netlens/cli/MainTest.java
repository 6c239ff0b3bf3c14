package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void demoRunsTheEngineChecksAndSucceeds() {
        assertEquals(0, run("demo", "--size", "16", "--batch", "2"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("engine OK"), text);
        assertTrue(text.contains("layer1.0.conv1"), text);
        assertTrue(!text.contains("FAIL"), text);
    }

    @Test
    void badOptionsExitWithTwoAndOneMessage() {
        assertEquals(2, run("demo", "--size", "3"));
        assertTrue(err.toString().contains("--size"), err.toString());
        assertEquals(2, run("nonsense"));
        assertEquals(2, run("demo", "--no-such-option"));
    }

    @Test
    void everyCommandDocumentsItsOptions() {
        assertEquals(0, run("demo", "--help"));
        assertTrue(out.toString().contains("--seed"));
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("demo"));
    }
}
