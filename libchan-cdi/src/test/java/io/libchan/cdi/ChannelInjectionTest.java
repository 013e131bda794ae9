package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ChannelTimeoutException;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChannelInjectionTest {
    static TestContainer server;
    static TestContainer app;

    @Singleton
    static class Jobs {
        @Inject
        @Channel("jobs")
        Sender out;
        @Inject
        @Channel("jobs")
        Receiver in;
    }

    @Singleton
    static class OtherWorker {
        @Inject
        @Channel("jobs")
        Receiver in;
    }

    @Singleton
    static class Api {
        @Inject
        @Channel("api")
        Transport session;
    }

    record Echo(String text) {
    }

    @Singleton
    static class EchoEndpoint {
        @ChannelEndpoint("echo")
        String echo(Echo message) {
            return message.text();
        }
    }

    @BeforeAll
    static void start() {
        server = TestContainer.start(Map.of("libchan.server.api.listen", "inmem:injection-api"), EchoEndpoint.class);
        app = TestContainer.start(Map.of(
                "libchan.channel.jobs.uri", "inmem:jobs",
                "libchan.channel.jobs.buffer", "8",
                "libchan.channel.api.uri", "inmem://injection-api"), Jobs.class, OtherWorker.class, Api.class);
    }

    @AfterAll
    static void stop() {
        app.close();
        server.close();
    }

    @Test
    void injectedSenderAndReceiverAreTwoEndsOfOneInAppPipe() {
        Jobs jobs = app.select(Jobs.class);
        jobs.out.send("build");
        assertEquals("build", jobs.in.receive(String.class, Await.TIMEOUT));
    }

    @Test
    void competingInjectedReceiversEachTakeADifferentMessage() {
        Jobs jobs = app.select(Jobs.class);
        Receiver other = app.select(OtherWorker.class).in;
        for (int i = 0; i < 6; i++) {
            jobs.out.send(i);
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            assertTrue(seen.add(jobs.in.receive(Integer.class, Await.TIMEOUT)));
            assertTrue(seen.add(other.receive(Integer.class, Await.TIMEOUT)));
        }
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), seen);
        assertThrows(ChannelTimeoutException.class, () -> other.receive(Integer.class, Duration.ZERO));
    }

    @Test
    void injectedTransportIsASessionWithTheConfiguredPeer() {
        Transport session = app.select(Api.class).session;
        Pipe reply = Pipe.create();
        Sender channel = session.newSendChannel("echo");
        channel.send(Map.of("text", "hi", "ret", reply.sender()));
        assertEquals("hi", reply.receiver().receive(String.class, Await.TIMEOUT));
        assertTrue(session.isOpen());
        channel.close();
    }

    @Test
    void channelBeansCanBeLookedUpProgrammatically() {
        Sender sender = app.select(Sender.class, Channel.Literal.of("jobs"));
        Receiver receiver = app.select(Receiver.class, Channel.Literal.of("jobs"));
        sender.send("looked up");
        assertEquals("looked up", receiver.receive(String.class, Await.TIMEOUT));
        assertEquals("jobs", receiver.channelName().orElseThrow());
    }
}
