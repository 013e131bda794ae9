package io.libchan.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Transport;
import io.libchan.example.ExampleServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HelloEndpointTest {
    static ExampleServer server;

    @BeforeAll
    static void boot() {
        server = ExampleServer.start();
    }

    @AfterAll
    static void shutdown() {
        server.close();
    }

    static Greeting hello(Transport session, String name) {
        Pipe ret = Pipe.create();
        session.newSendChannel("hello").send(new HelloRequest(name, ret.sender()));
        return ret.receiver().receive(Greeting.class, Duration.ofSeconds(10));
    }

    @Test
    void aNamedChannelGetsTheGreetingOnItsReplyChannel() {
        try (Transport session = Libchan.connect(server.uri())) {
            assertEquals(new Greeting("hello, libchan"), hello(session, "libchan"));
            assertEquals(new Greeting("hello, world"), hello(session, " "));
        }
    }
}
