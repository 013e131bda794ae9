package io.libchan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code libchan.jar gateway}, {@code forward} and {@code connect}, each a child JVM as a user runs
 * them, in front of plain TCP targets on loopback.
 */
class GatewayCommandTest {
    private static final int MIB = 1024 * 1024;
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A child {@code libchan.jar} with the test's class path; its first stdout line is read. */
    private final class Cli {
        final Process process;
        final BufferedReader stdout;
        final String firstLine;

        Cli(String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            processes.add(process);
            stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            firstLine = stdout.readLine();
        }
    }

    /** A loopback TCP server running {@code handler} per connection. */
    private ServerSocket target(SocketHandler handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(server);
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Socket s = server.accept();
                    closing.add(s);
                    Thread c = new Thread(() -> {
                        try (s) {
                            handler.handle(s);
                        } catch (IOException e) {
                            // recorded by the handler where it matters
                        }
                    });
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    interface SocketHandler {
        void handle(Socket s) throws IOException;
    }

    private ServerSocket echoTarget() throws IOException {
        return target(s -> {
            s.getInputStream().transferTo(s.getOutputStream());
            s.shutdownOutput();
        });
    }

    private Cli gateway(String... targets) throws IOException {
        List<String> args = new ArrayList<>(List.of("gateway", "--listen", "tcp://127.0.0.1:0"));
        for (String t : targets) {
            args.add("--target");
            args.add(t);
        }
        Cli g = new Cli(args.toArray(new String[0]));
        assertTrue(g.firstLine.startsWith("listening tcp://127.0.0.1:"), g.firstLine);
        return g;
    }

    private static String uriOf(Cli gateway) {
        return gateway.firstLine.substring("listening ".length());
    }

    private int forward(Cli gateway, String name) throws IOException {
        return portOf(new Cli("forward", "--local", "127.0.0.1:0", uriOf(gateway), name), name);
    }

    private static int portOf(Cli f, String name) {
        Matcher m = Pattern.compile("forwarding 127\\.0\\.0\\.1:(\\d+) -> " + Pattern.quote(name)).matcher(f.firstLine);
        assertTrue(m.matches(), f.firstLine);
        int port = Integer.parseInt(m.group(1));
        assertTrue(port > 0);
        return port;
    }

    @Test
    void forwardCarriesEightMebibytesEachWay() throws Exception {
        ServerSocket echo = echoTarget();
        Cli gateway = gateway("echo=tcp://127.0.0.1:" + echo.getLocalPort());
        int port = forward(gateway, "echo");

        byte[] data = new byte[8 * MIB];
        new Random(17).nextBytes(data);
        try (Socket local = new Socket(InetAddress.getLoopbackAddress(), port)) {
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    local.getOutputStream().write(data);
                    local.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] back = local.getInputStream().readAllBytes();
            written.get(60, TimeUnit.SECONDS);
            assertEquals(data.length, back.length);
            assertArrayEquals(sha256(data), sha256(back));
        }
    }

    /** A target that reads and drops what comes, counting {@code receiving} down, and completes {@code closed} at its end. */
    private ServerSocket sink(CountDownLatch receiving, CompletableFuture<Void> closed) throws IOException {
        return target(s -> {
            byte[] buf = new byte[65536];
            try {
                while (s.getInputStream().read(buf) >= 0) {
                    receiving.countDown();
                }
            } catch (IOException e) {
                // a reset is a close too
            }
            closed.complete(null);
        });
    }

    /** Writes 32 KiB chunks to {@code local} on another thread until the connection fails. */
    private static void writeUntilClosed(Socket local) {
        CompletableFuture.runAsync(() -> {
            byte[] chunk = new byte[32 * 1024];
            try {
                while (true) {
                    local.getOutputStream().write(chunk);
                }
            } catch (IOException e) {
                // closed: expected
            }
        });
    }

    @Test
    void gatewayKilledMidTransferClosesTheLocalConnection() throws Exception {
        CountDownLatch receiving = new CountDownLatch(1);
        CompletableFuture<Void> targetClosed = new CompletableFuture<>();
        ServerSocket sink = sink(receiving, targetClosed);
        Cli gateway = gateway("sink=tcp://127.0.0.1:" + sink.getLocalPort());
        int port = forward(gateway, "sink");
        try (Socket local = new Socket(InetAddress.getLoopbackAddress(), port)) {
            writeUntilClosed(local);
            assertTrue(receiving.await(30, TimeUnit.SECONDS));
            gateway.process.destroyForcibly(); // SIGKILL: no goodbye on either side
            gateway.process.waitFor(30, TimeUnit.SECONDS);

            targetClosed.get(30, TimeUnit.SECONDS);
            int read;
            try {
                read = local.getInputStream().read();
            } catch (IOException e) {
                read = -2; // reset
            }
            assertTrue(read < 0, "the local connection must end, read " + read);
        }
    }

    @Test
    void forwardKilledMidTransferClosesTheTargetConnection() throws Exception {
        CountDownLatch receiving = new CountDownLatch(1);
        CompletableFuture<Void> targetClosed = new CompletableFuture<>();
        ServerSocket sink = sink(receiving, targetClosed);
        Cli gateway = gateway("sink=tcp://127.0.0.1:" + sink.getLocalPort());
        Cli forward = new Cli("forward", "--local", "127.0.0.1:0", uriOf(gateway), "sink");
        try (Socket local = new Socket(InetAddress.getLoopbackAddress(), portOf(forward, "sink"))) {
            writeUntilClosed(local);
            assertTrue(receiving.await(30, TimeUnit.SECONDS));
            forward.process.destroyForcibly(); // SIGKILL mid-transfer: the gateway sees its session die
            forward.process.waitFor(30, TimeUnit.SECONDS);
            targetClosed.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void connectJoinsStdinAndStdoutToTheTunnel() throws Exception {
        ServerSocket echo = echoTarget();
        Cli gateway = gateway("echo=tcp://127.0.0.1:" + echo.getLocalPort());
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "connect", uriOf(gateway), "echo");
        Process connect = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(connect);
        byte[] data = new byte[MIB];
        new Random(5).nextBytes(data);
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
            try (OutputStream stdin = connect.getOutputStream()) {
                stdin.write(data);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] back = connect.getInputStream().readAllBytes();
        written.get(60, TimeUnit.SECONDS);
        assertTrue(connect.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, connect.exitValue());
        assertArrayEquals(sha256(data), sha256(back));
    }

    @Test
    void connectToAnUnknownTargetExitsOneWithTheReason() throws Exception {
        ServerSocket echo = echoTarget();
        Cli gateway = gateway("echo=tcp://127.0.0.1:" + echo.getLocalPort());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"connect", uriOf(gateway), "nope"}, InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown target"), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, out.size());
    }

    @Test
    void gatewayWithoutTargetsIsBadUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"gateway", "--listen", "tcp://127.0.0.1:0"}, InputStream.nullInputStream(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(64, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--target"));
        assertEquals(new InetSocketAddress("127.0.0.1", 0), GatewayCommands.localAddress("0"));
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
