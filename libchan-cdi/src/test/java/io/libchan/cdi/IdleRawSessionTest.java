package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.libchan.Pipe;
import io.libchan.Sender;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code libchan.server.<name>.first-stream-timeout}: a raw listener closes a connection on which no
 * channel opens in time (an unauthenticated one holds no seat for long), and an idle client channel
 * closed so connects again on its next use rather than failing it. Real sockets, loopback, port 0.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleRawSessionTest {

    @ApplicationScoped
    static class Quotes {
        @ChannelEndpoint("quote")
        String quote() {
            return "42";
        }
    }

    @ApplicationScoped
    static class Everyone implements PeerAuthenticator {
        final List<Credentials> seen = new CopyOnWriteArrayList<>();

        List<Credentials> seen() {
            return seen;
        }

        @Override
        public Optional<Identity> authenticate(Credentials peer) {
            seen.add(peer);
            return Optional.of(Identity.of("anyone"));
        }
    }

    @Singleton
    static class Client {
        @Inject
        @Channel("quotes")
        Sender quotes;

        Object ask() {
            Pipe reply = Pipe.create();
            quotes.send(Map.of("ret", reply.sender()));
            return reply.receiver().receive(Object.class, Await.TIMEOUT);
        }
    }

    @Test
    void aConnectionThatNeverAuthenticatesIsClosed() throws Exception {
        try (TestContainer server = TestContainer.start(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0",
                "libchan.server.raw.first-stream-timeout", "300ms"), Quotes.class, Everyone.class, EventRecorder.class);
             Socket silent = new Socket()) {
            URI uri = server.select(ChannelServers.class).uri("raw");
            silent.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            silent.setSoTimeout(30_000); // a safety net: the end of the stream is what the test waits for
            InputStream in = silent.getInputStream();
            while (in.read() >= 0) {
                // the server's SETTINGS and GOAWAY, then its end
            }
            assertEquals(List.of(), server.select(Everyone.class).seen(), "nothing to authenticate");
            assertFalse(server.select(EventRecorder.class).events.stream().anyMatch(SessionOpened.class::isInstance),
                    "no session was announced");
        }
    }

    @Test
    void anIdleStartupChannelClosedByTheServerConnectsAgainOnItsNextUse() throws Exception {
        try (TestContainer server = TestContainer.start(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0",
                "libchan.server.raw.anonymous", "true", "libchan.server.raw.endpoints", "quote",
                "libchan.server.raw.first-stream-timeout", "300ms"), Quotes.class)) {
            URI uri = server.select(ChannelServers.class).uri("raw");
            try (TestContainer client = TestContainer.start(Map.of("libchan.channel.quotes.uri", uri.toString(),
                    "libchan.channel.quotes.connect", "startup",
                    "libchan.channel.quotes.reconnect-delay", "1m"), Client.class, EventRecorder.class)) {
                EventRecorder events = client.select(EventRecorder.class);
                Await.next(events.events, SessionOpened.class, e -> true);
                SessionClosed closed = Await.next(events.events, SessionClosed.class, e -> true);
                assertFalse(closed.lost(), "the server closed it cleanly");

                assertEquals("42", client.select(Client.class).ask(), "connected on this use, not a minute later");
            }
        }
    }
}
