package io.libchan.undertow.internal.ws;

import io.libchan.internal.json.JsonSession;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.xnio.IoUtils;

/**
 * Feeds the text messages of a {@code libchan.json} WebSocket to its session, one frame at a time,
 * on the session's executor, with receiving suspended meanwhile (the same back-pressure as
 * {@link SpdyMessageFeeder}). A text message longer than the session allows fails the connection; a
 * binary message gets an {@code error} frame and close 1003.
 */
final class JsonMessageFeeder extends AbstractReceiveListener {
    private final JsonSession session;
    private final Executor executor;
    private final long maxChars;

    JsonMessageFeeder(JsonSession session, Executor executor, long maxChars) {
        this.session = session;
        this.executor = executor;
        this.maxChars = maxChars;
    }

    @Override
    protected long getMaxTextBufferSize() {
        return maxChars;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return 1024;
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        String frame = message.getData();
        channel.suspendReceives();
        try {
            executor.execute(() -> {
                try {
                    session.onFrame(frame);
                } finally {
                    channel.resumeReceives();
                }
            });
        } catch (RejectedExecutionException e) {
            session.onFailure(new IOException("no thread to read the WebSocket", e));
        }
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        message.getData().free();
        try {
            executor.execute(session::onBinaryMessage); // its error frame is a blocking send: not on the I/O thread
        } catch (RejectedExecutionException e) {
            session.onFailure(new IOException("no thread to answer a binary message", e));
        }
    }

    @Override
    protected void onCloseMessage(CloseMessage cm, WebSocketChannel channel) {
        session.onEnd();
    }

    @Override
    protected void onError(WebSocketChannel channel, Throwable error) {
        session.onFailure(error instanceof IOException ? (IOException) error : new IOException(error.toString(), error));
        IoUtils.safeClose(channel);
    }
}
