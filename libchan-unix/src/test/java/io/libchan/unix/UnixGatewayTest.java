package io.libchan.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import io.libchan.gateway.Gateway;
import io.libchan.gateway.TunnelReport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway over unix:// hands the target's connected socket to a Java client (fd passing): the
 * gateway copies none of the tunnel's bytes, and the tunnel outlives the session.
 */
class UnixGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final BlockingQueue<TunnelReport> reports = new LinkedBlockingQueue<>();
    private Listener listener;
    private Gateway gateway;

    @BeforeEach
    void startGateway() throws Exception {
        ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(echo);
        Thread accepting = new Thread(() -> {
            while (true) {
                try {
                    Socket s = echo.accept();
                    closing.add(s);
                    Thread t = new Thread(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                            s.shutdownOutput();
                        } catch (IOException e) {
                            // the test reads what came back
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        accepting.setDaemon(true);
        accepting.start();
        gateway = Gateway.builder().target("echo", URI.create("tcp://127.0.0.1:" + echo.getLocalPort()))
                .onTunnelClosed(reports::add).build();
        closing.add(gateway);
        Path dir = Files.createTempDirectory("libchan-gw");
        listener = Libchan.listen("unix://" + dir.resolve("gw.sock"));
        closing.add(listener);
        gateway.serve(listener);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private Transport client() {
        Transport session = Libchan.connect(listener.uri().toString());
        closing.add(session);
        return session;
    }

    private static String echo(ByteStream tunnel, String text) throws IOException {
        tunnel.output().write(text.getBytes(StandardCharsets.UTF_8));
        tunnel.output().flush();
        tunnel.closeWrite();
        InputStream in = tunnel.input();
        String back = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        tunnel.close();
        return back;
    }

    @Test
    void theGatewayHandsTheTargetsSocketOverAndCopiesNoByte() throws Exception {
        ByteStream tunnel = UnixGateway.connect(client(), "echo", WAIT);
        // the gateway lets go of its copy once we hold the socket: its report comes before any byte moved
        TunnelReport report = reports.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(new TunnelReport("echo", true, 0, 0), report);
        assertEquals("straight to the target", echo(tunnel, "straight to the target"));
    }

    @Test
    void aJavaClientGetsTheTargetsSocketItself() throws Exception {
        Socket socket = UnixGateway.socket(client(), "echo", WAIT);
        closing.add(socket);
        // connected already: a JDBC driver's socket factory can return it as it is (pgjdbc connects
        // only a socket that is not)
        assertTrue(socket.isConnected());
        assertEquals(new TunnelReport("echo", true, 0, 0), reports.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        socket.setTcpNoDelay(true); // what a driver sets on its socket
        socket.getOutputStream().write("a socket of our own".getBytes(StandardCharsets.UTF_8));
        socket.shutdownOutput();
        assertEquals("a socket of our own", new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aDriversSocketFactoryGetsTheTargetsSocketAndRefusalsAsIOExceptions() throws Exception {
        javax.net.SocketFactory factory = new GatewaySocketFactory(listener.uri() + " echo");
        try (Socket socket = factory.createSocket("ignored", 5432)) {
            closing.add(socket);
            assertTrue(socket.isConnected());
            socket.getOutputStream().write("through a driver".getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            assertEquals("through a driver", new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(new TunnelReport("echo", true, 0, 0), reports.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        IOException refused = assertThrows(IOException.class, () -> new GatewaySocketFactory(listener.uri() + " nope").createSocket());
        assertTrue(refused.getMessage().contains("nope") && refused.getMessage().contains("unknown target"), refused.getMessage());
    }

    @Test
    void overTcpThereIsNoSocketToHandOver() {
        Listener tcp = Libchan.listen("tcp://127.0.0.1:0");
        closing.add(tcp);
        gateway.serve(tcp);
        Transport session = Libchan.connect(tcp.uri().toString());
        closing.add(session);
        assertThrows(IllegalStateException.class, () -> UnixGateway.socket(session, "echo", WAIT));
    }

    @Test
    void aHandedOverTunnelOutlivesTheSession() throws Exception {
        Transport session = client();
        ByteStream tunnel = UnixGateway.connect(session, "echo", WAIT);
        session.abort(); // its unix socket closes at once, as when the gateway dies
        session.closeFuture().handle((none, e) -> null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("no session in the path", echo(tunnel, "no session in the path"));
    }

    @Test
    void aClientThatDoesNotAskForTheSocketIsSpliced() throws Exception {
        ByteStream tunnel = Gateway.connect(client(), "echo", WAIT);
        assertEquals("through the gateway", echo(tunnel, "through the gateway"));
        TunnelReport report = reports.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(report.handedOver());
        assertEquals(19, report.bytesToTarget());
        assertEquals(19, report.bytesFromTarget());
        assertTrue(reports.isEmpty());
    }
}
