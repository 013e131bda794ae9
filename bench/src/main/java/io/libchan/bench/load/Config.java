package io.libchan.bench.load;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The harness's command line; the defaults are issue 14's parameters. */
final class Config {
    static final String USAGE = String.join("\n",
            "usage: LoadHarness [options] [a] [b] [c] [d]        (no scenario: all four)",
            "  --libchan-jar PATH     our server: java -jar PATH echo --listen tcp://127.0.0.1:0 (required)",
            "  --bench-jar PATH       classpath of the grpc-java echo server (default: the harness's own jar)",
            "  --java PATH            the java that runs both servers (default: the harness's); jcmd beside it",
            "  --xmx SIZE             both servers' -Xmx (default 256m)",
            "  --server-opt ARG       one more JVM option for both servers (repeatable)",
            "  --servers LIST         ours,grpc (default both; one of them alone: no ratios)",
            "  --out DIR              server logs and the table (default /tmp/libchan-load-DATE)",
            "(a) --connections N (10000)  --settle DURATION (10s)",
            "(b) --sessions N (1000)  --channels N (10)  --duration DURATION (10m)  --interval DURATION (1s)",
            "(c) --clients N (16)  --message-mib N (15)  --big-timeout DURATION (120s)",
            "(d) --slow N (2000)  --trickle DURATION (10s)  --rr-duration DURATION (60s)  --rr-interval DURATION (10ms)",
            "    --warmup DURATION (30s of unpaced round trips before the unloaded phase)",
            "(a),(b),(d) --ramp-timeout DURATION (180s): give up opening connections after this long,",
            "    or after 20 s in which no new connection got the server's first frame",
            "durations: 500ms, 30s, 10m, 1h");

    Path libchanJar;
    Path benchJar;
    Path java;
    String xmx = "256m";
    final List<String> serverJvmOptions = new ArrayList<>();
    final Set<String> servers = new LinkedHashSet<>(List.of("ours", "grpc"));
    Path out;
    final Set<String> scenarios = new LinkedHashSet<>();

    int connections = 10_000;
    Duration settle = Duration.ofSeconds(10);

    int sessions = 1000;
    int channels = 10;
    Duration duration = Duration.ofMinutes(10);
    Duration interval = Duration.ofSeconds(1);

    int clients = 16;
    int messageMib = 15;
    Duration bigTimeout = Duration.ofSeconds(120);

    int slow = 2000;
    Duration trickle = Duration.ofSeconds(10);
    Duration rrDuration = Duration.ofSeconds(60);
    Duration rrInterval = Duration.ofMillis(10);
    Duration warmup = Duration.ofSeconds(30);

    Duration rampTimeout = Duration.ofSeconds(180);
    final Duration stall = Duration.ofSeconds(20);

    static Config parse(String[] args) throws IOException {
        Config c = new Config();
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                for (String s : a.split(",")) {
                    if (!List.of("a", "b", "c", "d").contains(s)) {
                        throw new IllegalArgumentException("unknown scenario '" + s + "'");
                    }
                    c.scenarios.add(s);
                }
                continue;
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.equals("help")) {
                throw new IllegalArgumentException("");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "libchan-jar": c.libchanJar = Path.of(value).toAbsolutePath(); break;
                case "bench-jar": c.benchJar = Path.of(value).toAbsolutePath(); break;
                case "java": c.java = Path.of(value).toAbsolutePath(); break;
                case "xmx": c.xmx = value; break;
                case "server-opt": extra.add(value); break;
                case "servers":
                    c.servers.clear();
                    for (String s : value.split(",")) {
                        if (!s.equals("ours") && !s.equals("grpc")) {
                            throw new IllegalArgumentException("--servers takes ours and/or grpc");
                        }
                        c.servers.add(s);
                    }
                    break;
                case "out": c.out = Path.of(value).toAbsolutePath(); break;
                case "connections": c.connections = Integer.parseInt(value); break;
                case "settle": c.settle = duration(value); break;
                case "sessions": c.sessions = Integer.parseInt(value); break;
                case "channels": c.channels = Integer.parseInt(value); break;
                case "duration": c.duration = duration(value); break;
                case "interval": c.interval = duration(value); break;
                case "clients": c.clients = Integer.parseInt(value); break;
                case "message-mib": c.messageMib = Integer.parseInt(value); break;
                case "big-timeout": c.bigTimeout = duration(value); break;
                case "slow": c.slow = Integer.parseInt(value); break;
                case "trickle": c.trickle = duration(value); break;
                case "rr-duration": c.rrDuration = duration(value); break;
                case "rr-interval": c.rrInterval = duration(value); break;
                case "warmup": c.warmup = duration(value); break;
                case "ramp-timeout": c.rampTimeout = duration(value); break;
                default: throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        if (c.scenarios.isEmpty()) {
            c.scenarios.addAll(List.of("a", "b", "c", "d"));
        }
        if (c.libchanJar == null) {
            throw new IllegalArgumentException("--libchan-jar PATH is required (deploy/cli/target/libchan.jar)");
        }
        if (!Files.isRegularFile(c.libchanJar)) {
            throw new IllegalArgumentException("no such jar: " + c.libchanJar);
        }
        if (c.benchJar == null) {
            try {
                c.benchJar = Path.of(Config.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        if (c.java == null) {
            c.java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        }
        if (c.out == null) {
            c.out = Path.of("/tmp", "libchan-load-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        Files.createDirectories(c.out);
        // quiet JDK 23+ about Netty's Unsafe and JDK 24+ about its native epoll library (both servers)
        for (String opt : List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED")) {
            if (c.javaAccepts(opt)) {
                c.serverJvmOptions.add(opt);
            }
        }
        c.serverJvmOptions.addAll(extra);
        return c;
    }

    Path jcmd() {
        Path p = java.resolveSibling("jcmd");
        return Files.isExecutable(p) ? p : Path.of("jcmd");
    }

    private boolean javaAccepts(String option) {
        try {
            Process p = new ProcessBuilder(java.toString(), option, "-version").redirectErrorStream(true).start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static Duration duration(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        switch (v.charAt(v.length() - 1)) {
            case 's': return Duration.ofSeconds(n);
            case 'm': return Duration.ofMinutes(n);
            case 'h': return Duration.ofHours(n);
            default: throw new IllegalArgumentException("bad duration '" + s + "' (500ms, 30s, 10m, 1h)");
        }
    }
}
