package io.libchan.undertow.internal.ws;

import io.libchan.internal.session.SpdySession;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.xnio.IoUtils;
import org.xnio.Pooled;

/**
 * Feeds the binary messages of a {@code libchan.spdy3} WebSocket to its session, in order, however
 * the peer split the SPDY bytes. Back-pressure: receiving is suspended while the session digests a
 * message, on the session's executor (never on an Undertow I/O thread), so Undertow buffers at most
 * one message per connection and a peer that outruns the session meets TCP's window.
 */
final class SpdyMessageFeeder extends AbstractReceiveListener {
    private final SpdySession session;
    private final Executor executor;
    private final long maxMessage;

    SpdyMessageFeeder(SpdySession session, Executor executor, long maxMessage) {
        this.session = session;
        this.executor = executor;
        this.maxMessage = maxMessage;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return maxMessage;
    }

    @Override
    protected long getMaxTextBufferSize() {
        return 1024;
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        Pooled<ByteBuffer[]> data = message.getData();
        channel.suspendReceives();
        try {
            executor.execute(() -> {
                try {
                    for (ByteBuffer b : data.getResource()) {
                        session.onBytes(b);
                    }
                } catch (RuntimeException e) {
                    session.onInputFailed(new IOException("session failed on input: " + e, e));
                } finally {
                    data.free();
                    channel.resumeReceives();
                }
            });
        } catch (RejectedExecutionException e) {
            data.free();
            session.onInputFailed(new IOException("no thread to read the WebSocket", e));
        }
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        session.onInputFailed(new IOException("text message on a libchan.spdy3 WebSocket"));
        IoUtils.safeClose(channel);
    }

    @Override
    protected void onCloseMessage(CloseMessage cm, WebSocketChannel channel) {
        session.onEndOfInput(); // receives are suspended while input is digested: nothing is still queued
    }

    @Override
    protected void onError(WebSocketChannel channel, Throwable error) {
        session.onInputFailed(error instanceof IOException ? (IOException) error : new IOException(error.toString(), error));
        IoUtils.safeClose(channel);
    }
}
