package io.libchan.undertow.internal.ws;

import io.libchan.internal.json.JsonSession;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * Feeds a {@code libchan.json} WebSocket's text messages, joined from their parts, to the client
 * session; one message is requested at a time, the next once the session has taken this one.
 */
final class JdkJsonListener implements WebSocket.Listener {
    private final long maxChars;
    private final StringBuilder partial = new StringBuilder();
    private volatile JsonSession session;
    private volatile IOException earlyFailure;

    JdkJsonListener(long maxChars) {
        this.maxChars = maxChars;
    }

    void attach(JsonSession s, WebSocket socket) {
        session = s;
        if (earlyFailure != null) {
            s.onFailure(earlyFailure);
            return;
        }
        socket.request(1);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        // nothing is requested before attach
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (partial.length() + data.length() > maxChars) {
            session.onFailure(new IOException("a libchan.json frame over " + maxChars + " characters"));
            webSocket.abort();
            return null;
        }
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            session.onFrame(frame);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        session.onFailure(new IOException("binary message on a libchan.json WebSocket"));
        webSocket.abort();
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        JsonSession s = session;
        if (s != null) {
            s.onEnd();
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        IOException e = error instanceof IOException ? (IOException) error : new IOException(String.valueOf(error), error);
        JsonSession s = session;
        if (s == null) {
            earlyFailure = e;
        } else {
            s.onFailure(e);
        }
    }
}
