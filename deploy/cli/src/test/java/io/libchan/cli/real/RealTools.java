package io.libchan.cli.real;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Debian programs the gateway's real-parts tests drive: PostgreSQL (server and clients) and
 * OpenSSH (sshd, ssh, scp). Missing ones skip the tests, unless {@code LIBCHAN_TOOLS_REQUIRED} is
 * set (by {@code .ci/run}): then they fail.
 */
final class RealTools {
    private RealTools() {
    }

    /** Skips the test (or fails it, under LIBCHAN_TOOLS_REQUIRED) unless every tool named is found. */
    static void require(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String t : tools) {
            if (find(t).isEmpty()) {
                missing.add(t);
            }
        }
        String what = "missing " + missing + " (Debian packages: postgresql, openssh-server, openssh-client)";
        if (!missing.isEmpty() && System.getenv("LIBCHAN_TOOLS_REQUIRED") != null) {
            throw new IllegalStateException(what + ", required as LIBCHAN_TOOLS_REQUIRED is set");
        }
        assumeTrue(missing.isEmpty(), what);
    }

    /** The path of {@code tool}: on the PATH, in /usr/sbin, or in the newest PostgreSQL's bin directory. */
    static String path(String tool) {
        return find(tool).orElseThrow(() -> new IllegalStateException(tool + " not found")).toString();
    }

    private static Optional<Path> find(String tool) {
        List<Path> dirs = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty()) {
                dirs.add(Path.of(d));
            }
        }
        dirs.add(Path.of("/usr/sbin"));
        postgresBin().ifPresent(dirs::add);
        // postgres and initdb only live in the versioned directory: the PATH has Debian's wrappers at most
        if (tool.equals("postgres") || tool.equals("initdb")) {
            dirs = postgresBin().map(List::of).orElse(List.of());
        }
        return dirs.stream().map(d -> d.resolve(tool)).filter(Files::isExecutable).findFirst();
    }

    private static Optional<Path> postgresBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** True when this JVM runs as root (CI does): servers that refuse root then run as nobody. */
    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
