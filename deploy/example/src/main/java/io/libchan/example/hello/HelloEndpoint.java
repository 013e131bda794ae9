package io.libchan.example.hello;

import io.libchan.cdi.ChannelEndpoint;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The smallest libchan service: request/reply. A peer opens a channel named {@code hello}, sends
 * {@code {name, ret}}, and gets {@code {greeting}} on {@code ret}, which then ends. libchan-cdi does
 * the rest: the return value goes back on the message's {@code ret}, an exception would go back as
 * an error reply. Stateless; thread-safe.
 */
@ApplicationScoped
public class HelloEndpoint {

    @ChannelEndpoint("hello")
    public Greeting hello(HelloRequest request) {
        String name = request.name() == null || request.name().isBlank() ? "world" : request.name().trim();
        return new Greeting("hello, " + name);
    }
}
