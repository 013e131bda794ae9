package io.libchan.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Transport;
import io.libchan.cdi.ChannelServers;
import io.libchan.example.echo.EchoClientChecks;
import io.libchan.example.echo.OpenClientSession;
import io.libchan.example.hello.Greeting;
import io.libchan.example.hello.HelloRequest;
import io.libchan.example.pool.PoolChecks;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sessions of a listener the application opened itself (here a plain {@code tcp://} one; in the demos
 * the HTTP endpoint of libchan-undertow) reach the endpoints once it is handed to libchan-cdi with
 * {@code ChannelServers.serve("handed", listener)}, configured like any server
 * ({@code libchan.server.handed.default-endpoint=echo}, no {@code listen} key): named channels, the
 * default endpoint, nested channels both ways, a session's loss (its end at shutdown: {@link ShutdownTest}).
 */
@Timeout(60)
class HandedOverListenerTest {
    static ExampleServer server;
    static Listener listener;

    @BeforeAll
    static void start() {
        server = ExampleServer.start(Map.of("libchan.server.handed.default-endpoint", "echo"));
        listener = Libchan.listen("tcp://127.0.0.1:0");
        server.bean(ChannelServers.class).serve("handed", listener);
    }

    @AfterAll
    static void stop() {
        server.close(); // closes the listener and every session of it
    }

    private static Transport connect() {
        return Libchan.connect(listener.uri().toString());
    }

    @Test
    void namedChannelsReachTheirEndpoint() {
        try (Transport session = connect()) {
            Pipe ret = Pipe.create();
            session.newSendChannel("hello").send(new HelloRequest("listener", ret.sender()));
            assertEquals(new Greeting("hello, listener"), ret.receiver().receive(Greeting.class, PoolChecks.WAIT));
        }
    }

    @Test
    void unnamedChannelsReachTheDefaultEndpointWithTheirNestedChannelsAndStreams() {
        try (Transport session = connect()) {
            EchoClientChecks.all(session);
        }
    }

    @Test
    void aWorkerIsRemovedWhenItsSessionIsLost() {
        try (Transport client = connect(); Transport worker = connect()) {
            PoolChecks.aWorkerWhoseSessionEndsIsRemoved(client, worker, true);
        }
    }

    @Test
    void theServerNamesItsListener() {
        assertEquals(listener.uri(), server.bean(ChannelServers.class).uri("handed"));
    }
}
