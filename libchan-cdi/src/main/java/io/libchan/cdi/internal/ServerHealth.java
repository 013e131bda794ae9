package io.libchan.cdi.internal;

import io.libchan.ListenerState;
import java.util.Optional;

/**
 * One server's health at one moment, what {@link ListenerReadiness} and {@link ListenerLiveness}
 * report. Immutable.
 *
 * @param name the server's name ({@code libchan.server.NAME.*})
 * @param started the application has started serving (its servers accept from then on)
 * @param listening it has a listener (false for a server still waiting for the application to hand one over)
 * @param serving its accept loop takes the listener's sessions (false before the application
 *        started, once the listener failed or was closed, and while the application stops)
 * @param stopping the application is stopping: no longer a failure to report
 * @param state what the listener says of itself, when it can tell ({@link io.libchan.Listener#state()})
 */
record ServerHealth(String name, boolean started, boolean listening, boolean serving, boolean stopping, Optional<ListenerState> state) {

    /** Why the server cannot take a new session now, or empty when it can. */
    Optional<String> notReady() {
        if (stopping) {
            return Optional.of("stopping");
        }
        if (!started) {
            return Optional.of("not started");
        }
        if (!listening) {
            return Optional.of("no listener yet");
        }
        if (state.isPresent() && !state.get().open()) {
            return Optional.of("listener closed");
        }
        if (!serving) {
            return Optional.of("not accepting sessions");
        }
        if (state.isPresent() && !state.get().accepting()) {
            return Optional.of("accepting paused");
        }
        if (state.isPresent() && !state.get().underLimit()) {
            return Optional.of("at its connection limit of " + state.get().maxConnections());
        }
        return Optional.empty();
    }

    /**
     * What is broken for good, that only a restart mends, or empty: its listener was closed or its
     * accept loop ended while the application runs, its accepting thread died, sessions stuck in
     * their drain.
     */
    Optional<String> notAlive() {
        if (stopping || !started || !listening) {
            return Optional.empty(); // nothing started that could have died
        }
        if (state.isPresent() && !state.get().open()) {
            return Optional.of("its listener was closed");
        }
        if (state.isPresent() && state.get().stuckDraining() > 0) {
            return Optional.of(state.get().stuckDraining() + " session(s) stuck in their drain past twice its timeout");
        }
        if (state.isPresent() && !state.get().acceptorAlive()) {
            return Optional.of("its accepting thread died");
        }
        if (!serving) {
            return Optional.of("its accept loop ended");
        }
        return Optional.empty();
    }
}
