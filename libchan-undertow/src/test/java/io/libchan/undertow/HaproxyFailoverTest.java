package io.libchan.undertow;

import io.libchan.contract.TestCertificates;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Through a real proxy: HAProxy (Debian's package) terminates TLS, speaks h2 to the client and
 * forwards each tunnel stream over h2 to one of two backend JVMs. Sessions work through it and are
 * spread over both backends; killing one backend (SIGKILL) fails its sessions with
 * {@link ConnectionLostException} while the other's go on, and new sessions go to the survivor.
 */
@Timeout(90)
class HaproxyFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Process> backends = new HashMap<>();
    private URI proxy;

    @BeforeEach
    void start() throws Exception {
        Curl.requireTool("haproxy");
        assumeTrue(Curl.onPath("haproxy"), "haproxy is not installed (Debian package: haproxy); skipping the proxy test");
        Process p1 = launch("b1");
        Process p2 = launch("b2"); // both JVMs start at once
        int b1 = readyPort("b1", p1);
        int b2 = readyPort("b2", p2);
        int port = freePort();
        Path dir = Files.createDirectories(Path.of("target", "haproxy"));
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "global",
                "  maxconn 256",
                "defaults",
                "  mode http",
                "  timeout connect 2s",
                "  timeout client 60s",
                "  timeout server 60s",
                "  retries 2",
                "  option redispatch",
                "frontend libchan",
                "  bind 127.0.0.1:" + port + " ssl crt " + TestCertificates.certificateAndKeyPem().toAbsolutePath() + " alpn h2,http/1.1",
                "  default_backend echo",
                "backend echo",
                "  balance roundrobin",
                "  server b1 127.0.0.1:" + b1 + " proto h2 check inter 200ms fall 1 rise 1",
                "  server b2 127.0.0.1:" + b2 + " proto h2 check inter 200ms fall 1 rise 1",
                ""));
        Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        processes.add(haproxy);
        awaitListening(port, haproxy);
        proxy = URI.create("https://127.0.0.1:" + port + "/libchan");
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    private Process launch(String name) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                BackendMain.class.getName(), name)
                .redirectError(Files.createDirectories(Path.of("target", "haproxy")).resolve(name + ".log").toFile())
                .start();
        processes.add(p);
        backends.put(name, p);
        return p;
    }

    private static int readyPort(String name, Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // blocks until the backend listens (or dies: null)
        if (line == null || !line.startsWith("READY ")) {
            throw new IOException("backend " + name + " did not start: " + line);
        }
        return Integer.parseInt(line.substring(6).trim());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process haproxy) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!haproxy.isAlive()) {
                throw new IOException("haproxy exited: see target/haproxy/haproxy.log");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        throw new IOException("haproxy did not listen on " + port);
    }

    /** Which backend answered an echo on a fresh channel of {@code t}. */
    private static String echo(Transport t) {
        Pipe reply = Pipe.create();
        t.newSendChannel().send(Map.of("cmd", "echo", "ret", reply.sender()));
        @SuppressWarnings("unchecked")
        Map<String, Object> got = reply.receiver().receive(Map.class, WAIT);
        return (String) got.get("server");
    }

    @Test
    void sessionsSpreadOverBackendsAndAKilledBackendFailsOnlyItsOwn() throws Exception {
        Map<String, List<Transport>> byBackend = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            Transport t = Libchan.connect(proxy, TestCertificates.client());
            byBackend.computeIfAbsent(echo(t), k -> new ArrayList<>()).add(t);
        }
        assertEquals(3, byBackend.get("b1").size(), byBackend.toString());
        assertEquals(3, byBackend.get("b2").size(), byBackend.toString());

        Transport b2Session = byBackend.get("b2").get(0);
        Pipe events = Pipe.create();
        b2Session.newSendChannel().send(Map.of("cmd", "subscribe", "count", 2, "ret", events.sender()));
        @SuppressWarnings("unchecked")
        Receiver stream = (Receiver) ((Map<String, Object>) events.receiver().receive(Map.class, WAIT)).get("events");
        assertEquals(Map.of("event", 0L), stream.receive(Map.class, WAIT));
        backends.get("b1").destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        for (Transport dead : byBackend.get("b1")) {
            assertThrows(ConnectionLostException.class, () -> dead.waitReceiveChannel(WAIT));
            assertTrue(!dead.isOpen());
        }
        assertEquals(Map.of("event", 1L), stream.receive(Map.class, WAIT));
        for (Transport alive : byBackend.get("b2")) {
            assertEquals("b2", echo(alive));
        }
        for (int i = 0; i < 3; i++) {
            try (Transport fresh = Libchan.connect(proxy, TestCertificates.client())) {
                assertEquals("b2", echo(fresh));
            }
        }
        byBackend.values().forEach(list -> list.forEach(Transport::abort));
    }
}
