package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.ChannelClosedException;
import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.RemoteErrorException;
import io.libchan.Sender;
import io.libchan.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server's top-level channels are routed to endpoints by name; peers are plain libchan clients. */
class ServerRoutingTest {
    static final String URI_TEXT = "inmem:routing-api";
    static TestContainer server;
    Transport client;

    record Name(String name) {
    }

    @ApplicationScoped
    static class Greeter {
        @ChannelEndpoint("greet")
        String greet(Name who) {
            return "hello " + who.name();
        }

        private final BlockingQueue<String> logged = new LinkedBlockingQueue<>();
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();

        @ChannelEndpoint("log")
        void log(Name who) {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            logged.add(who.name());
            running.decrementAndGet();
        }

        String nextLogged() throws InterruptedException {
            return logged.poll(Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        }

        int mostAtOnce() {
            return mostAtOnce.get();
        }

        @ChannelEndpoint("shout")
        String shout(Name who) {
            return "HELLO " + who.name().toUpperCase();
        }
    }

    @BeforeAll
    static void start() {
        server = TestContainer.start(Map.of(
                "libchan.server.api.listen", URI_TEXT,
                "libchan.server.api.default-endpoint", "greet"), Greeter.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void connect() {
        client = Libchan.connect(URI_TEXT);
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private static Object ask(Sender channel, String name) {
        Pipe reply = Pipe.create();
        channel.send(Map.of("name", name, "ret", reply.sender()));
        return reply.receiver().receive(Object.class, Await.TIMEOUT);
    }

    @Test
    void channelsAreRoutedToTheEndpointOfTheirName() {
        assertEquals("HELLO ADA", ask(client.newSendChannel("shout"), "ada"));
        assertEquals("hello ada", ask(client.newSendChannel("greet"), "ada"));
    }

    @Test
    void unnamedChannelsGoToTheDefaultEndpoint() {
        assertEquals("hello bob", ask(client.newSendChannel(), "bob"));
    }

    @Test
    void messagesOfOneChannelAreHandledOneAtATimeInOrder() throws InterruptedException {
        Sender channel = client.newSendChannel("log");
        for (int i = 0; i < 20; i++) {
            channel.send(Map.of("name", "n" + i));
        }
        Greeter greeter = server.select(Greeter.class);
        for (int i = 0; i < 20; i++) {
            assertEquals("n" + i, greeter.nextLogged());
        }
        assertEquals(1, greeter.mostAtOnce());
    }

    @Test
    void unknownEndpointNameClosesTheChannelAfterAnErrorReply() {
        Sender channel = client.newSendChannel("nobody");
        RemoteErrorException error = ErrorReply.asError(ask(channel, "x")).orElseThrow();
        assertEquals(UnknownEndpointException.class.getName(), error.type());
        Await.until("the server to close the channel", () -> {
            try {
                channel.send(Map.of("name", "again"));
                return false;
            } catch (ChannelClosedException e) {
                return true;
            }
        });
    }
}
