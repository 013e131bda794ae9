package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Weld containers in one JVM: a client whose {@code @Channel} connects with
 * {@code inmem://<listener>} to a server's {@code libchan.server} listener, the same
 * {@code Libchan.connect}/{@code listen} path a network transport takes.
 */
class RemoteChannelTest {
    static TestContainer server;
    static TestContainer client;

    record Order(String item, Sender ret) {
    }

    @ApplicationScoped
    static class OrderDesk {
        @Inject
        ChannelCall call;

        @ChannelEndpoint("orders")
        String take(Order order) {
            return "confirmed " + order.item();
        }

        @ChannelEndpoint("caller")
        List<String> caller() {
            return List.of(call.endpoint(), call.channelName().orElse("-"), call.source(), call.uri().toString());
        }
    }

    @Singleton
    static class Shop {
        @Inject
        @Channel("orders")
        Sender orders;
        @Inject
        @Channel("caller")
        Sender caller;
    }

    @BeforeAll
    static void start() {
        server = TestContainer.start(Map.of("libchan.server.api.listen", "inmem:remote-api"),
                OrderDesk.class, EventRecorder.class);
        client = TestContainer.start(Map.of(
                "libchan.channel.orders.uri", "inmem://remote-api",
                "libchan.channel.orders.remote-name", "orders",
                "libchan.channel.orders.connect", "startup",
                "libchan.channel.caller.uri", "inmem://remote-api",
                "libchan.channel.caller.remote-name", "caller"), Shop.class, EventRecorder.class);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void injectedSenderOpensATopLevelChannelToTheRemoteEndpoint() {
        Pipe reply = Pipe.create();
        client.select(Shop.class).orders.send(new Order("tea", reply.sender()));
        assertEquals("confirmed tea", reply.receiver().receive(String.class, Await.TIMEOUT));
    }

    @Test
    void endpointSeesTheChannelNameAndServerTheCallCameThrough() {
        Pipe reply = Pipe.create();
        client.select(Shop.class).caller.send(Map.of("ret", reply.sender()));
        assertEquals(List.of("caller", "caller", "api", "inmem:remote-api"),
                reply.receiver().receive(List.class, Await.TIMEOUT));
    }

    @Test
    void startupChannelConnectsAtBootAndFiresSessionOpenedOnBothSides() throws InterruptedException {
        SessionOpened atClient = Await.next(client.select(EventRecorder.class).events, SessionOpened.class,
                e -> e.name().equals("orders"));
        assertEquals(new SessionOpened("orders", URI.create("inmem://remote-api"), SessionRole.CLIENT, Optional.empty()),
                atClient);
        SessionOpened atServer = Await.next(server.select(EventRecorder.class).events, SessionOpened.class, e -> true);
        assertEquals(SessionRole.SERVER, atServer.role());
        assertEquals("api", atServer.name());
    }

    /** A client whose peer opens channels back to it: named ones go to endpoints, others to the injected Transport. */
    @Singleton
    static class Subscriber {
        final BlockingQueue<String> notes = new LinkedBlockingQueue<>();
        @Inject
        @Channel("hub")
        Transport hub;

        @ChannelEndpoint("notify")
        void notify(Map<String, Object> note) {
            notes.add((String) note.get("text"));
        }
    }

    @Test
    void channelsThePeerOpensOnAClientSessionAreServedToo() throws InterruptedException {
        try (Listener hub = Libchan.listen("inmem:remote-hub");
             TestContainer subscriber = TestContainer.start(Map.of("libchan.channel.hub.uri", "inmem://remote-hub"),
                     Subscriber.class)) {
            Subscriber bean = subscriber.select(Subscriber.class);
            bean.hub.newSendChannel().close(); // connects
            Transport toSubscriber = hub.accept(Await.TIMEOUT);
            toSubscriber.newSendChannel("notify").send(Map.of("text", "hello"));
            assertEquals("hello", Await.next(bean.notes, String.class, n -> true));

            toSubscriber.newSendChannel().send("unclaimed");
            Receiver unclaimed = bean.hub.waitReceiveChannel(Await.TIMEOUT);
            assertEquals("unclaimed", unclaimed.receive(String.class, Await.TIMEOUT));
            assertFalse(unclaimed.channelName().isPresent());
            toSubscriber.close();
        }
    }

    @Test
    void theInjectedTransportsCloseFutureCompletesWhenThePeerEndsTheSession() throws Exception {
        try (Listener hub = Libchan.listen("inmem:remote-hub-end");
             TestContainer subscriber = TestContainer.start(Map.of("libchan.channel.hub.uri", "inmem://remote-hub-end"),
                     Subscriber.class)) {
            Subscriber bean = subscriber.select(Subscriber.class);
            bean.hub.newSendChannel().close(); // connects
            java.util.concurrent.CompletableFuture<Void> end = bean.hub.closeFuture();
            Transport toSubscriber = hub.accept(Await.TIMEOUT);
            assertFalse(end.isDone(), "connected: " + end);
            toSubscriber.close();
            end.get(Await.TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
