package io.libchan.example.echo;

import io.libchan.Libchan;
import io.libchan.Transport;
import io.libchan.example.ExampleServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The echo protocol as the raw server's default endpoint: what Go and jschan peers, which open unnamed channels, reach. */
@Timeout(60)
class EchoEndpointTest {
    static ExampleServer server;

    @BeforeAll
    static void boot() {
        server = ExampleServer.start();
    }

    @AfterAll
    static void shutdown() {
        server.close();
    }

    @Test
    void unnamedChannelsGetTheEchoProtocol() {
        try (Transport session = Libchan.connect(server.uri())) {
            EchoClientChecks.all(session);
        }
    }

    @Test
    void v010DialectClientsGetItToo() {
        try (Transport session = Libchan.connect(server.uri() + "?dialect=v0.1.0")) {
            EchoClientChecks.replyComesBackOnTheNestedReplyChannel(session);
            EchoClientChecks.channelMadeByTheServerCarriesThreeEventsThenEnds(session);
        }
    }
}
