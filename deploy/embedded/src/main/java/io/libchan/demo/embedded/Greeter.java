package io.libchan.demo.embedded;

import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.cdi.Channel;
import io.libchan.example.hello.Greeting;
import io.libchan.example.hello.HelloRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * A bean that uses a channel instead of serving one: {@code @Inject @Channel("hello") Sender}, an
 * in-app channel ({@code libchan.channel.hello.uri=inmem:hello}) that feeds the {@code hello}
 * endpoint in this JVM. Pointing the same key at {@code tcp://host:port} with
 * {@code remote-name=hello} would call another process, with no change here. Thread-safe.
 */
@ApplicationScoped
public class Greeter {
    @Inject
    @Channel("hello")
    Sender hello;

    /** Asks the hello endpoint to greet {@code name} and waits (up to 10 s) for the answer. */
    public String greet(String name) {
        Pipe reply = Pipe.create();
        hello.send(new HelloRequest(name, reply.sender()));
        return reply.receiver().receive(Greeting.class, Duration.ofSeconds(10)).greeting();
    }
}
