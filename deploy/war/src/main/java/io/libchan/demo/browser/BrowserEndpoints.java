package io.libchan.demo.browser;

import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.cdi.ChannelCall;
import io.libchan.cdi.ChannelEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two endpoints of the browser demo page ({@code browser.html}), reached with libchan.js over
 * libchan-rest-fallback ({@code /api/libchan/ws}, {@code /api/libchan/call}) as the user who logged in:
 * <ul>
 * <li>{@code greet}: {@code {text, ..., ret}} → the message's fields back, with the endpoint, who
 *     asked ({@code principal}, empty when the session has none, e.g. over the raw server) and the
 *     server that took the session ({@code source}: {@code rest} below {@code /api/libchan});</li>
 * <li>{@code news}: {@code {topic, count?, ret}} → {@code {topic, events}}, where {@code events} is a
 *     channel the server then pushes {@code count} (default 3, at most 1000) events
 *     {@code {event: i, topic, principal}} on before it ends it.</li>
 * </ul>
 * Stateless; thread-safe.
 */
@ApplicationScoped
public class BrowserEndpoints {
    static final int MAX_EVENTS = 1000;

    @Inject
    ChannelCall call;

    @ChannelEndpoint("greet")
    public Map<String, Object> greet(Map<String, Object> message) {
        Map<String, Object> reply = new LinkedHashMap<>(message);
        reply.keySet().removeIf("ret"::equalsIgnoreCase);
        reply.put("endpoint", call.endpoint());
        reply.put("principal", principal());
        reply.put("source", call.source());
        return reply;
    }

    @ChannelEndpoint("news")
    public void news(Map<String, Object> message, Sender ret) {
        String topic = String.valueOf(message.getOrDefault("topic", "news"));
        int count = message.get("count") instanceof Number n ? Math.max(0, Math.min(MAX_EVENTS, n.intValue())) : 3;
        Pipe events = Pipe.create();
        try {
            ret.send(Map.of("topic", topic, "events", events.receiver()));
        } finally {
            ret.close();
        }
        String principal = principal();
        try {
            for (int i = 0; i < count; i++) {
                events.sender().send(Map.of("event", i, "topic", topic, "principal", principal));
            }
        } finally {
            events.sender().close();
        }
    }

    private String principal() {
        return call.peerPrincipal().map(Principal::getName).orElse("");
    }
}
