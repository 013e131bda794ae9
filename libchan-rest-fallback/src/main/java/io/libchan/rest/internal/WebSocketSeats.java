package io.libchan.rest.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket sessions the fallback holds at once, at most
 * {@value io.libchan.rest.LibchanRest#WEBSOCKET_MAX_SESSIONS}: a seat is taken before the handshake
 * is answered ({@link WebSocketLimitFilter}), so that a client past the limit gets 503 instead of a
 * 101 followed by a close, and given back when the session ends ({@link LibchanWebSocket}) or when
 * no session came of the handshake. Thread-safe.
 */
final class WebSocketSeats {
    private final int max;
    private final AtomicInteger held = new AtomicInteger();

    WebSocketSeats(int max) {
        this.max = max;
    }

    /** @return false when every seat is held */
    boolean take() {
        while (true) {
            int now = held.get();
            if (now >= max) {
                return false;
            }
            if (held.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        held.updateAndGet(n -> Math.max(0, n - 1));
    }

    int max() {
        return max;
    }
}
