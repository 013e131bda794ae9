package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** An authenticator that has not answered yet: it waits until the test lets it go. */
    @ApplicationScoped
    static class Stuck implements PeerAuthenticator {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);

        java.util.concurrent.CountDownLatch release() {
            return release;
        }

        java.util.concurrent.CountDownLatch asked() {
            return asked;
        }

        @Override
        public Optional<Identity> authenticate(Credentials peer) {
            asked.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(Identity.of("late"));
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

    /** The deadline covers the application's answer too: a peer it never identifies is not held. */
    @Test
    void aPeerTheAuthenticatorDoesNotAnswerInTimeIsClosed() throws Exception {
        // long enough for the peer's first channel to arrive on a loaded machine: it is the answer that is late
        try (TestContainer server = TestContainer.start(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0",
                "libchan.server.raw.first-stream-timeout", "2s"), Quotes.class, Stuck.class, EventRecorder.class)) {
            Stuck stuck = server.select(Stuck.class);
            URI uri = server.select(ChannelServers.class).uri("raw");
            try (io.libchan.Transport peer = io.libchan.Libchan.connect(uri,
                    io.libchan.Settings.builder().bearerToken("slow").build())) {
                peer.newSendChannel("quote").send(Map.of("ret", Pipe.create().sender()));
                assertTrue(stuck.asked().await(30, TimeUnit.SECONDS), "the authenticator was asked");
                peer.closeFuture().handle((v, e) -> null).get(30, TimeUnit.SECONDS); // closed while it is still asked
                assertFalse(peer.isOpen());
            } finally {
                stuck.release().countDown();
            }
            assertFalse(server.select(EventRecorder.class).events.stream().anyMatch(SessionOpened.class::isInstance),
                    "the late answer served nothing");
        }
    }

    @Test
    void anIdleStartupChannelClosedByTheServerConnectsAgainOnItsNextUse() throws Exception {
        try (TestContainer server = TestContainer.start(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0",
                "libchan.server.raw.anonymous", "true", "libchan.server.raw.endpoints", "quote",
                // the new session of the next use must open its channel within it on a loaded machine
                "libchan.server.raw.first-stream-timeout", "2s"), Quotes.class)) {
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
