package io.libchan.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.BytePipe;
import io.libchan.ByteStream;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway over tcp:// between two Java peers, to real loopback TCP targets. */
class GatewayTest {
    private static final int MIB = 1024 * 1024;
    private final Closing closing = new Closing();

    @AfterEach
    void tearDown() throws Exception {
        closing.close();
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }

    private Listener serve(Gateway gateway) {
        closeLater(gateway);
        Listener listener = closeLater(Libchan.listen("tcp://127.0.0.1:0"));
        gateway.serve(listener);
        return listener;
    }

    private Transport client(Listener listener) {
        return closeLater(Libchan.connect(listener.uri().toString()));
    }

    @Test
    void echoTargetCarriesEightMebibytesEachWay() throws Exception {
        TcpTarget echo = closeLater(TcpTarget.echo());
        Gateway gateway = Gateway.builder().target("echo", echo.uri()).build();
        Transport session = client(serve(gateway));
        ByteStream tunnel = Gateway.connect(session, "echo");

        byte[] data = new byte[8 * MIB];
        new Random(17).nextBytes(data);
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = tunnel.output();
                for (int off = 0; off < data.length; off += 100_000) {
                    out.write(data, off, Math.min(100_000, data.length - off));
                }
                tunnel.closeWrite();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] back = tunnel.input().readAllBytes(); // until the echo's FIN: the half-close went through
        written.get(60, TimeUnit.SECONDS);
        assertEquals(data.length, back.length);
        assertArrayEquals(sha256(data), sha256(back));
        tunnel.close();
        gateway.whenNoTunnels().get(30, TimeUnit.SECONDS);
    }

    @Test
    void clientHalfCloseReachesTheTargetWhichStillAnswers() throws Exception {
        TcpTarget counter = closeLater(new TcpTarget(s -> {
            long n = s.getInputStream().transferTo(OutputStream.nullOutputStream());
            s.getOutputStream().write(("got " + n).getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
        }));
        Gateway gateway = Gateway.builder().target("count", counter.uri()).build();
        ByteStream tunnel = Gateway.connect(client(serve(gateway)), "count");
        tunnel.output().write(new byte[300_000]);
        tunnel.closeWrite();
        assertEquals("got 300000", new String(tunnel.input().readAllBytes(), StandardCharsets.US_ASCII));
        tunnel.close();
    }

    @Test
    void targetHalfCloseReachesTheClientWhichStillWrites() throws Exception {
        CompletableFuture<String> heard = new CompletableFuture<>();
        TcpTarget greeter = closeLater(new TcpTarget(s -> {
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            heard.complete(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
        }));
        Gateway gateway = Gateway.builder().target("greet", greeter.uri()).build();
        ByteStream tunnel = Gateway.connect(client(serve(gateway)), "greet");
        assertEquals("hello", new String(tunnel.input().readAllBytes(), StandardCharsets.US_ASCII));
        tunnel.output().write("after".getBytes(StandardCharsets.US_ASCII));
        tunnel.closeWrite();
        assertEquals("after", heard.get(30, TimeUnit.SECONDS));
        gateway.whenNoTunnels().get(30, TimeUnit.SECONDS);
    }

    @Test
    void unixSocketTargetIsSpliced(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path path = dir.resolve("target.sock");
        java.nio.channels.ServerSocketChannel server = closeLater(
                java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX));
        server.bind(java.net.UnixDomainSocketAddress.of(path));
        CompletableFuture.runAsync(() -> {
            try (java.nio.channels.SocketChannel s = server.accept()) {
                java.nio.channels.Channels.newInputStream(s).transferTo(java.nio.channels.Channels.newOutputStream(s));
                s.shutdownOutput();
            } catch (IOException e) {
                // the test's reads tell
            }
        });
        Gateway gateway = Gateway.builder().target("local", URI.create("unix://" + path)).build();
        ByteStream tunnel = Gateway.connect(client(serve(gateway)), "local");
        tunnel.output().write("over unix".getBytes(StandardCharsets.US_ASCII));
        tunnel.closeWrite();
        assertEquals("over unix", new String(tunnel.input().readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void tunnelsPastTheMaximumAreAnsweredBusy() throws Exception {
        TcpTarget echo = closeLater(TcpTarget.echo());
        Gateway gateway = Gateway.builder().target("echo", echo.uri()).maxTunnels(1).build();
        Transport session = client(serve(gateway));
        ByteStream first = Gateway.connect(session, "echo");
        TunnelRefusedException e = assertThrows(TunnelRefusedException.class, () -> Gateway.connect(session, "echo"));
        assertEquals(Gateway.BUSY, e.type());
        first.closeWrite();
        assertEquals(-1, first.input().read());
        gateway.whenNoTunnels().get(30, TimeUnit.SECONDS);
    }

    @Test
    void unknownTargetIsRefused() throws Exception {
        TcpTarget echo = closeLater(TcpTarget.echo());
        Gateway gateway = Gateway.builder().target("echo", echo.uri()).build();
        TunnelRefusedException e = assertThrows(TunnelRefusedException.class,
                () -> Gateway.connect(client(serve(gateway)), "tcp://127.0.0.1:" + echo.port()));
        assertEquals(Gateway.UNKNOWN_TARGET, e.type());
    }

    @Test
    void targetLimitedToRolesRefusesOthersAndServesHolders() throws Exception {
        TcpTarget echo = closeLater(TcpTarget.echo());
        Gateway gateway = closeLater(Gateway.builder()
                .config(Map.of("libchan.gateway.db.target", echo.uri().toString(), "libchan.gateway.db.roles", "admin",
                        "libchan.gateway.ops.target", echo.uri().toString(), "libchan.gateway.ops.roles", "ops, dev"))
                .build());
        Listener listener = closeLater(Libchan.listen("tcp://127.0.0.1:0"));
        CompletableFuture<Transport> accepted = listener.acceptAsync();
        Transport session = client(listener);
        Transport server = closeLater(accepted.get(30, TimeUnit.SECONDS));
        gateway.serve(new RoleTransport(server, Set.of("dev")));

        TunnelRefusedException e = assertThrows(TunnelRefusedException.class, () -> Gateway.connect(session, "db"));
        assertEquals(Gateway.FORBIDDEN, e.type());
        ByteStream tunnel = Gateway.connect(session, "ops");
        tunnel.output().write("dev".getBytes(StandardCharsets.US_ASCII));
        tunnel.closeWrite();
        assertEquals("dev", new String(tunnel.input().readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void targetDownIsAnsweredConnectFailed() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Gateway gateway = Gateway.builder().target("down", URI.create("tcp://127.0.0.1:" + port)).build();
        TunnelRefusedException e = assertThrows(TunnelRefusedException.class,
                () -> Gateway.connect(client(serve(gateway)), "down"));
        assertEquals(Gateway.CONNECT_FAILED, e.type());
        assertTrue(e.getMessage().startsWith("connect failed: "), e.getMessage());
    }

    @Test
    void deadClientClosesTheTargetConnection() throws Exception {
        CountDownLatch receiving = new CountDownLatch(1);
        CompletableFuture<Void> targetClosed = new CompletableFuture<>();
        TcpTarget sink = closeLater(new TcpTarget(s -> readUntilClosed(s, receiving, targetClosed)));
        Gateway gateway = Gateway.builder().target("sink", sink.uri()).build();
        Transport session = client(serve(gateway));
        ByteStream tunnel = Gateway.connect(session, "sink");
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeForever(tunnel));
        assertTrue(receiving.await(30, TimeUnit.SECONDS));

        session.abort(); // the client is gone mid-transfer
        targetClosed.get(30, TimeUnit.SECONDS);
        gateway.whenNoTunnels().get(30, TimeUnit.SECONDS);
        writing.handle((v, e) -> null).get(30, TimeUnit.SECONDS); // the client's writes failed too
    }

    @Test
    void deadClientClosesAnIdleTunnelItHadHalfClosed() throws Exception {
        CountDownLatch sawFin = new CountDownLatch(1);
        CountDownLatch testOver = new CountDownLatch(1);
        closing.add(testOver::countDown);
        TcpTarget silent = closeLater(new TcpTarget(s -> {
            s.getInputStream().transferTo(OutputStream.nullOutputStream());
            sawFin.countDown();
            try {
                testOver.await(); // keeps its half open, writing nothing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Gateway gateway = Gateway.builder().target("silent", silent.uri()).build();
        Transport session = client(serve(gateway));
        ByteStream tunnel = Gateway.connect(session, "silent");
        tunnel.closeWrite();
        assertTrue(sawFin.await(30, TimeUnit.SECONDS));
        assertEquals(1, gateway.openTunnels());

        session.abort(); // nothing flows either way: only the session's end can tell the gateway
        gateway.whenNoTunnels().get(30, TimeUnit.SECONDS);
    }

    @Test
    void targetResetClosesTheClientTunnel() throws Exception {
        CountDownLatch receiving = new CountDownLatch(1);
        TcpTarget resetting = closeLater(new TcpTarget(s -> {
            s.getInputStream().readNBytes(1000);
            s.setSoLinger(true, 0); // close with RST
            s.close();
        }));
        Gateway gateway = Gateway.builder().target("rst", resetting.uri()).build();
        ByteStream tunnel = Gateway.connect(client(serve(gateway)), "rst");
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeForever(tunnel));
        // the client's reads end, without any byte, once the gateway passed the reset on
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return tunnel.input().read();
            } catch (IOException e) {
                return -2;
            }
        });
        assertTrue(read.get(30, TimeUnit.SECONDS) < 0);
        gateway.whenNoTunnels().get(30, TimeUnit.SECONDS);
        tunnel.close();
        writing.handle((v, e) -> null).get(30, TimeUnit.SECONDS);
    }

    @Test
    void unnamedChannelsServeGoAndJschanClientsWhenAsked() throws Exception {
        TcpTarget echo = closeLater(TcpTarget.echo());
        Gateway gateway = Gateway.builder().target("echo", echo.uri()).unnamedChannels(true).build();
        Transport session = client(serve(gateway));
        // what a Go client sends: a plain channel, {target, conn, ret}
        BytePipe conn = BytePipe.create();
        Pipe ret = Pipe.create();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("Target", "echo");
        request.put("Conn", conn.remote());
        request.put("Ret", ret.sender());
        session.newSendChannel().send(request);
        assertEquals(Map.of("ok", true), ret.receiver().receive(Map.class, java.time.Duration.ofSeconds(30)));
        conn.local().output().write("go".getBytes(StandardCharsets.US_ASCII));
        conn.local().closeWrite();
        assertEquals("go", new String(conn.local().input().readAllBytes(), StandardCharsets.US_ASCII));
    }

    private static void readUntilClosed(Socket s, CountDownLatch receiving, CompletableFuture<Void> closed) {
        byte[] buf = new byte[65536];
        try {
            InputStream in = s.getInputStream();
            while (in.read(buf) >= 0) {
                receiving.countDown();
            }
        } catch (IOException e) {
            // a reset: closed as well
        }
        closed.complete(null);
    }

    private static void writeForever(ByteStream tunnel) {
        byte[] chunk = new byte[32 * 1024];
        try {
            while (true) {
                tunnel.output().write(chunk);
            }
        } catch (IOException e) {
            // the tunnel closed: expected
        }
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
