package io.libchan.rest;

import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.cdi.ChannelCall;
import io.libchan.cdi.ChannelEndpoint;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** The application's endpoints, served over TCP in real life and over its REST path by this module. */
@ApplicationScoped
public class Shop {
    @Inject
    ChannelCall call;
    private final BlockingQueue<Sender> held = new LinkedBlockingQueue<>();

    /** The message back without its reply channel, with who asked and through which endpoint. */
    @ChannelEndpoint("echo")
    public Map<String, Object> echo(Map<String, Object> message) {
        Map<String, Object> reply = new LinkedHashMap<>(message);
        reply.keySet().removeIf("ret"::equalsIgnoreCase);
        reply.put("endpoint", call.endpoint());
        reply.put("principal", call.peerPrincipal().map(Principal::getName).orElse(""));
        reply.put("source", call.source());
        return reply;
    }

    /** A reply carrying a channel on which the server then pushes {@code count} (3) events and ends. */
    @ChannelEndpoint("events")
    public void events(Map<String, Object> message, Sender ret) {
        Pipe events = Pipe.create();
        ret.send(Map.of("events", events.receiver(), "topic", String.valueOf(message.get("topic"))));
        ret.close();
        int count = message.get("count") instanceof Number ? ((Number) message.get("count")).intValue() : 3;
        for (int i = 0; i < count; i++) {
            events.sender().send(Map.of("event", i, "topic", String.valueOf(message.get("topic"))));
        }
        events.sender().close();
    }

    @ChannelEndpoint("audit")
    @RolesAllowed("auditor")
    public String audit() {
        return "audited by " + call.peerPrincipal().map(Principal::getName).orElse("?");
    }

    /** Not in the allow-list of the tests: never reachable over HTTP. */
    @ChannelEndpoint("internal")
    public String internal() {
        return "internal";
    }

    /** Takes a note and answers nothing: the reply channel is closed after the call. */
    @ChannelEndpoint("note")
    public void note(Map<String, Object> message) {
        // nothing to answer
    }

    /** Keeps the reply channel and never answers: the call times out. */
    @ChannelEndpoint("hold")
    public void hold(Map<String, Object> message, Sender ret) {
        held.add(ret);
    }
}
