package io.libchan.internal.gateway;

import io.libchan.Transport;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open tunnels of each session, so that a session that ends (closed, lost, its peer dead)
 * aborts them at once: one callback per session rather than one per tunnel, so a long session
 * that opens many tunnels keeps nothing of the closed ones.
 */
public final class SessionTunnels {
    private static final ConcurrentHashMap<Transport, SessionTunnels> OPEN = new ConcurrentHashMap<>();
    private final Set<Tunnel> splices = ConcurrentHashMap.newKeySet();
    private volatile boolean ended;

    private SessionTunnels() {
    }

    private void end(Transport session, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof UnsupportedOperationException) {
            return; // a transport that cannot tell when it ends: its streams fail on their own
        }
        ended = true;
        OPEN.remove(session, this);
        splices.forEach(Tunnel::abort);
    }

    /** Tracks {@code splice} until it is done; aborts it when {@code session} ends first. */
    public static void track(Transport session, Tunnel splice) {
        SessionTunnels tunnels = OPEN.get(session);
        if (tunnels == null) {
            SessionTunnels fresh = new SessionTunnels();
            tunnels = OPEN.putIfAbsent(session, fresh);
            if (tunnels == null) {
                tunnels = fresh;
                // registered outside the map's update: the session may have ended already
                session.closeFuture().whenComplete((none, e) -> fresh.end(session, e));
            }
        }
        SessionTunnels t = tunnels;
        t.splices.add(splice);
        splice.done().whenComplete((none, e) -> t.splices.remove(splice));
        if (t.ended) {
            splice.abort();
        }
    }
}
