package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.libchan.ConnectionLostException;
import io.libchan.Pipe;
import io.libchan.Sender;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An injected remote Sender outlives its peer: it fails fast while the peer is down, then reconnects. */
class ReconnectTest {
    static final Map<String, String> SERVER = Map.of("libchan.server.api.listen", "inmem:reconnect-api");
    static final Duration AT_ONCE = Duration.ofSeconds(2);

    record Order(String item, Sender ret) {
    }

    @ApplicationScoped
    static class OrderDesk {
        @ChannelEndpoint("orders")
        String take(Order order) {
            return "ok " + order.item();
        }
    }

    @Singleton
    static class Shop {
        @Inject
        @Channel("orders")
        Sender orders;

        String order(String item) {
            Pipe reply = Pipe.create();
            orders.send(new Order(item, reply.sender()));
            return reply.receiver().receive(String.class, Await.TIMEOUT);
        }
    }

    @Test
    void sendsFailAtOnceWhileThePeerIsDownAndWorkAgainOnceItIsBack() throws InterruptedException {
        TestContainer server = TestContainer.start(SERVER, OrderDesk.class);
        try (TestContainer client = TestContainer.start(Map.of(
                "libchan.channel.orders.uri", "inmem://reconnect-api",
                "libchan.channel.orders.remote-name", "orders",
                "libchan.channel.orders.reconnect-delay", "20ms",
                "libchan.channel.orders.reconnect-max-delay", "200ms"), Shop.class, EventRecorder.class)) {
            Shop shop = client.select(Shop.class);
            EventRecorder events = client.select(EventRecorder.class);
            assertEquals("ok tea", shop.order("tea"));
            Await.next(events.events, SessionOpened.class, e -> true);

            server.close();
            assertTimeoutPreemptively(AT_ONCE, () -> {
                assertThrows(ConnectionLostException.class, () -> shop.order("cake"));
                assertThrows(ConnectionLostException.class, () -> shop.order("pie"));
            });
            SessionClosed closed = Await.next(events.events, SessionClosed.class, e -> true);
            assertEquals(SessionRole.CLIENT, closed.role());

            server = TestContainer.start(SERVER, OrderDesk.class);
            Await.next(events.events, SessionOpened.class, e -> true);
            assertEquals("ok soup", shop.order("soup"));
        } finally {
            server.close();
        }
    }

    @Test
    void sendToAPeerThatNeverCameUpFailsAtOnce() {
        try (TestContainer client = TestContainer.start(Map.of(
                "libchan.channel.orders.uri", "inmem://reconnect-nobody",
                "libchan.channel.orders.reconnect-delay", "1s"), Shop.class)) {
            Shop shop = client.select(Shop.class);
            assertTimeoutPreemptively(AT_ONCE, () -> {
                assertThrows(ConnectionLostException.class, () -> shop.order("tea"));
                assertThrows(ConnectionLostException.class, () -> shop.order("tea"));
            });
        }
    }
}
