package io.libchan.demo.rest;

import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.cdi.Channel;
import io.libchan.example.hello.Greeting;
import io.libchan.example.hello.HelloRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;

/**
 * {@code GET /api/hello?name=you}: an ordinary resource beside the libchan service; and
 * {@code GET /api/hello/channel?name=you}: the same answer from the {@code hello} channel endpoint,
 * through an injected in-app channel ({@code libchan.channel.hello.uri=inmem:hello}).
 */
@Path("hello")
public class HelloResource {
    @Inject
    @Channel("hello")
    Sender hello;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String hello(@QueryParam("name") @DefaultValue("world") String name) {
        return "hello, " + name;
    }

    @GET
    @Path("channel")
    @Produces(MediaType.TEXT_PLAIN)
    public String helloOverTheChannel(@QueryParam("name") @DefaultValue("world") String name) {
        Pipe reply = Pipe.create();
        hello.send(new HelloRequest(name, reply.sender()));
        return reply.receiver().receive(Greeting.class, Duration.ofSeconds(10)).greeting();
    }
}
