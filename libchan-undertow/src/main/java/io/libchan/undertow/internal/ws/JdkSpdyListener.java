package io.libchan.undertow.internal.ws;

import io.libchan.internal.session.SpdySession;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * Feeds a {@code libchan.spdy3} WebSocket's binary messages (any split) into the client session.
 * Back-pressure: one message is requested at a time, and the next only after the session has
 * digested the current one, so the JDK buffers nothing beyond the socket's own window. Nothing is
 * requested before {@link #attach} (the session needs the open socket to exist).
 */
final class JdkSpdyListener implements WebSocket.Listener {
    private volatile SpdySession session;
    private volatile IOException earlyFailure;

    void attach(SpdySession s, WebSocket socket) {
        session = s;
        IOException early = earlyFailure;
        if (early != null) {
            s.onInputFailed(early);
            return;
        }
        socket.request(1);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        // no request yet: see attach
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        try {
            session.onBytes(data);
        } catch (RuntimeException e) {
            session.onInputFailed(new IOException("session failed on input: " + e, e));
            webSocket.abort();
            return null;
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        session.onInputFailed(new IOException("text message on a libchan.spdy3 WebSocket"));
        webSocket.abort();
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        SpdySession s = session;
        if (s != null) {
            s.onEndOfInput();
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        IOException e = error instanceof IOException ? (IOException) error : new IOException(String.valueOf(error), error);
        SpdySession s = session;
        if (s == null) {
            earlyFailure = e;
        } else {
            s.onInputFailed(e);
        }
    }
}
