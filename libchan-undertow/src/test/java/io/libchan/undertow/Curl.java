package io.libchan.undertow;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** curl as an outside HTTP client; tests using it skip, saying so, when curl is not installed. */
final class Curl {
    private Curl() {
    }

    /** What curl saw: status, HTTP version, body. */
    record Result(int status, String version, String body) {
    }

    /** Under {@code LIBCHAN_TOOLS_REQUIRED} (set by .ci/run) a missing tool fails the test instead of skipping it. */
    static void requireTool(String name) {
        if (System.getenv("LIBCHAN_TOOLS_REQUIRED") != null && !onPath(name)) {
            throw new IllegalStateException(name + " is required (LIBCHAN_TOOLS_REQUIRED is set) but not on the PATH");
        }
    }

    static void assumeInstalled() {
        requireTool("curl");
        assumeTrue(onPath("curl"), "curl is not installed (Debian package: curl); skipping the curl tests");
    }

    static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }

    /** Runs curl with {@code args} (the URL among them), bounded to 20 s. */
    static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20",
                "-w", "\n@@%{http_code} %{http_version}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        int mark = text.lastIndexOf("\n@@");
        if (mark < 0) {
            throw new IOException("unexpected curl output: " + text);
        }
        String[] tail = text.substring(mark + 3).trim().split(" ");
        return new Result(Integer.parseInt(tail[0]), tail.length > 1 ? tail[1] : "", text.substring(0, mark));
    }
}
