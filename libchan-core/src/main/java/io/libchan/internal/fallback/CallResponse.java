package io.libchan.internal.fallback;

import java.io.IOException;

/**
 * Where a call's answer goes, as the HTTP adapter (Undertow, JAX-RS…) writes it: either one whole
 * response, or a stream of Server-Sent Events. Implementations need not be thread-safe: the
 * replies serialise their calls, and call {@link #respond} or {@link #startEvents} at most once.
 */
public interface CallResponse {

    /** Sends a whole response and ends it; an empty body means none ({@code 204}). */
    void respond(int status, String contentType, byte[] body) throws IOException;

    /** Starts a {@code 200 text/event-stream} response (no length, not cached, not buffered by proxies). */
    void startEvents() throws IOException;

    /** Writes and flushes one event: {@code event: name}, one {@code data:} line ({@code data} has no newline). */
    void event(String name, String data) throws IOException;

    /** Writes and flushes a comment line, which keeps proxies from timing out a quiet stream. */
    void comment() throws IOException;

    /** Ends the event stream. */
    void end() throws IOException;
}
