package io.libchan.internal.fallback;

import io.libchan.internal.observe.SessionObservation;
import java.io.IOException;

/**
 * A {@link CallResponse} that counts what a call writes for its session's metrics: bytes of a
 * whole response's body, characters of events' data, and a message sent for each reply message (a {@code 200} body, a
 * {@code message} event). Not thread-safe, as the responses it wraps: the replies serialise their calls.
 */
final class CountingResponse implements CallResponse {
    private final CallResponse delegate;
    private final SessionObservation observed;

    CountingResponse(CallResponse delegate, SessionObservation observed) {
        this.delegate = delegate;
        this.observed = observed;
    }

    @Override
    public void respond(int status, String contentType, byte[] body) throws IOException {
        count(body.length, status == 200);
        delegate.respond(status, contentType, body);
    }

    /** Before the write: a client that has the answer finds it counted. */
    private void count(int bytes, boolean message) {
        observed.bytesSent().add(bytes);
        if (message) {
            observed.messageSent(bytes);
        }
    }

    @Override
    public void startEvents() throws IOException {
        delegate.startEvents();
    }

    @Override
    public void event(String name, String data) throws IOException {
        // characters, as for the text frames of libchan.json: no copy to count
        count(data.length(), "message".equals(name));
        delegate.event(name, data);
    }

    @Override
    public void comment() throws IOException {
        delegate.comment();
    }

    @Override
    public void end() throws IOException {
        delegate.end();
    }
}
