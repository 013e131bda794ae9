package io.libchan.demo;

import io.libchan.cdi.SessionClosed;
import io.libchan.cdi.SessionOpened;
import io.libchan.cdi.SessionRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the open sessions of each libchan server, from libchan-cdi's session events. Thread-safe. */
@ApplicationScoped
public class SessionCounter {
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    void opened(@Observes SessionOpened event) {
        if (event.role() == SessionRole.SERVER) {
            open.computeIfAbsent(event.name(), n -> new AtomicInteger()).incrementAndGet();
        }
    }

    void closed(@Observes SessionClosed event) {
        if (event.role() == SessionRole.SERVER) {
            open.computeIfAbsent(event.name(), n -> new AtomicInteger()).decrementAndGet();
        }
    }

    /** Open sessions by server name. */
    public Map<String, Integer> openSessions() {
        Map<String, Integer> now = new TreeMap<>();
        open.forEach((server, count) -> now.put(server, count.get()));
        return now;
    }
}
