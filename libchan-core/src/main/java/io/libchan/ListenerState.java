package io.libchan;

/**
 * A listener's state at one moment, as a health check reads it ({@link Listener#state()}).
 * Immutable.
 *
 * @param open bound and not closed
 * @param acceptorAlive open and the thread that accepts its connections runs (an I/O thread that a
 *        fatal error killed does not come back: a liveness check's business)
 * @param accepting taking new connections: the acceptor alive and not pausing after an accept
 *        failure (out of file descriptors: accepting resumes within a second)
 * @param connections the connections it holds now
 * @param maxConnections its limit ({@link Settings#maxConnections()}): past it, new connections are refused
 * @param stuckDraining its sessions that went away (GOAWAY, sent or received) more than twice their
 *        drain timeout ago and have still not ended: the drain timeout should have ended them
 */
public record ListenerState(boolean open, boolean acceptorAlive, boolean accepting, int connections, int maxConnections,
                            int stuckDraining) {

    /** True while one more connection would be taken rather than refused. */
    public boolean underLimit() {
        return connections < maxConnections;
    }
}
