package io.libchan.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Transport;
import io.libchan.example.bridge.SessionBridge;
import io.libchan.example.echo.EchoClientChecks;
import io.libchan.example.hello.Greeting;
import io.libchan.example.hello.HelloRequest;
import io.libchan.example.pool.PoolChecks;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sessions of a listener the application opened itself (here a plain {@code tcp://} one; in the
 * demos the HTTP endpoint of libchan-undertow) reach the endpoints through a {@link SessionBridge}
 * into libchan-cdi's {@code inmem:bridged} server: named channels, the default endpoint, nested
 * channels both ways, and a session's end.
 */
@Timeout(60)
class SessionBridgeTest {
    static ExampleServer server;
    static Listener listener;
    static SessionBridge bridge;

    @BeforeAll
    static void start() {
        server = ExampleServer.start(Map.of("libchan.server.bridged.listen", "inmem:bridged",
                "libchan.server.bridged.default-endpoint", "echo"));
        listener = Libchan.listen("tcp://127.0.0.1:0");
        ExampleThreads threads = server.bean(ExampleThreads.class);
        bridge = SessionBridge.start(listener, URI.create("inmem://bridged"), threads.threadFactory(), threads.executor());
    }

    @AfterAll
    static void stop() {
        listener.close();
        server.close(); // libchan-cdi closes its side of every bridged session, and the bridge the peer's
        bridge.close();
    }

    private static Transport connect() {
        return Libchan.connect(listener.uri().toString());
    }

    @Test
    void namedChannelsReachTheirEndpoint() {
        try (Transport session = connect()) {
            Pipe ret = Pipe.create();
            session.newSendChannel("hello").send(new HelloRequest("bridge", ret.sender()));
            assertEquals(new Greeting("hello, bridge"), ret.receiver().receive(Greeting.class, PoolChecks.WAIT));
        }
    }

    @Test
    void unnamedChannelsReachTheDefaultEndpointWithTheirNestedChannelsAndStreams() {
        try (Transport session = connect()) {
            EchoClientChecks.all(session);
        }
    }

    @Test
    void aBridgedWorkerIsRemovedWhenItsSessionIsLost() {
        try (Transport client = connect(); Transport worker = connect()) {
            PoolChecks.aWorkerWhoseSessionEndsIsRemoved(client, worker, true);
        }
    }
}
