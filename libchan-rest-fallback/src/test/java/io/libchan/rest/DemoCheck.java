package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code src/test/browser/demo-check.mjs} (Debian's headless Chromium through playwright-core)
 * against a libchan demo page and returns what the page showed. Shared by this module's
 * {@code BrowserClientTest} and it-tests' {@code BrowserIT} (through this module's test jar).
 * Blocking; stateless.
 */
public final class DemoCheck {
    private DemoCheck() {
    }

    /**
     * Skips the calling test when Chromium or playwright-core is missing, or fails it when
     * {@code LIBCHAN_TOOLS_REQUIRED} is set.
     */
    public static void requireTools(Path browserDir) {
        List<String> missing = new ArrayList<>();
        Path chromium = Path.of(System.getenv().getOrDefault("LIBCHAN_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            missing.add(chromium + " (apt-get install -y chromium)");
        }
        if (!Files.isDirectory(browserDir.resolve("node_modules/playwright-core"))) {
            missing.add("playwright-core (npm ci --prefix libchan-rest-fallback/src/test/browser)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "browser test needs " + String.join(" and ", missing);
        if (System.getenv("LIBCHAN_TOOLS_REQUIRED") != null) {
            fail(message + "; LIBCHAN_TOOLS_REQUIRED is set");
        }
        Assumptions.abort(message + "; skipped");
    }

    /**
     * Opens {@code page} logged in as {@code user}, drives it, writes {@code screenshot}; fails unless
     * the script ended well. Returns the page's results (status, reply, events, callReply, sseStatus,
     * sseEvents, flow).
     */
    public static JsonNode run(Path browserDir, URI page, Path screenshot, String user, String password)
            throws Exception {
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);
        Path out = screenshot.resolveSibling("demo-check.out");
        Path err = screenshot.resolveSibling("demo-check.err");
        Process node = new ProcessBuilder("node", browserDir.resolve("demo-check.mjs").toAbsolutePath().toString(),
                page.toString(), screenshot.toAbsolutePath().toString(), user, password)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!node.waitFor(150, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("demo-check.mjs did not finish; its log: " + Files.readString(err));
        }
        String log = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), "demo-check.mjs failed: " + log);
        assertTrue(Files.size(screenshot) > 0, "no screenshot");
        JsonNode dom = new ObjectMapper().readTree(Files.readString(out, StandardCharsets.UTF_8));
        assertEquals("connected", dom.get("status").asText(), log);
        return dom;
    }

    /** The texts of a JSON array of strings. */
    public static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
