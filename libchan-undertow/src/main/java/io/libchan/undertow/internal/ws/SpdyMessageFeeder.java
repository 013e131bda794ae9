package io.libchan.undertow.internal.ws;

import io.libchan.internal.session.SpdySession;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import org.xnio.IoUtils;
import org.xnio.Pooled;
import org.xnio.XnioIoThread;

/**
 * Feeds the binary messages of a {@code libchan.spdy3} WebSocket to its session on the connection's
 * I/O thread, where Undertow delivers them, in order, however the peer split the SPDY bytes: no
 * hand-off to another thread per message (a queue digested by an executor task cost a thread
 * wake-up per message, and made WebSocket 0.4x as fast as raw TCP). The session never blocks this
 * thread ({@link UndertowWebSocketWire}: it pauses reading, and its writes are handed over).
 *
 * <p>Back-pressure: after each message, if the session may not take more input
 * ({@link SpdySession#readingAllowed()}: a peer past every flow-control window, unread) or more
 * than {@value SendWindow#MAX_IN_FLIGHT} bytes of ours wait to be written (a peer that does not
 * read), receiving is suspended, so the peer meets TCP's window, and resumed on the I/O thread once
 * both allow it. No thread waits meanwhile. The end of input (a close message, or the connection
 * closing) reaches the session after every message before it, since both come on this thread; a
 * connection that drops while reading is paused loses what was not read, as any dropped
 * connection does.
 *
 * <p>A bug or an {@link Error} in handling a message ends this session only
 * ({@link SpdySession#onFault}). Confined to the I/O thread, except {@link #sessionEnded}.
 */
final class SpdyMessageFeeder extends AbstractReceiveListener {
    private final SpdySession session;
    private final UndertowWebSocketWire wire;
    private final XnioIoThread io;
    private final long maxMessage;
    private boolean ended;  // the session heard the end of input (or failed): later input is dropped
    private boolean paused; // receiving is suspended until the session and the window allow more

    SpdyMessageFeeder(SpdySession session, UndertowWebSocketWire wire, WebSocketChannel channel, long maxMessage) {
        this.session = session;
        this.wire = wire;
        this.io = channel.getIoThread();
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
        try {
            if (ended) {
                return; // the session is over: what still comes is read and dropped
            }
            // fed straight from Undertow's pooled buffers, freed here on the I/O thread whose pool
            // caches them: the session copies what must outlive the call
            for (ByteBuffer b : data.getResource()) {
                if (b.hasRemaining()) {
                    session.onBytes(b);
                }
            }
        } catch (RuntimeException | Error e) {
            fault(channel, e);
            return;
        } finally {
            data.free();
        }
        readOnIfAllowed(channel);
    }

    /** A bug or an Error while handling this session's input: it ends, nothing else does. */
    private void fault(WebSocketChannel channel, Throwable e) {
        ended = true;
        try {
            session.onFault(e); // GOAWAY INTERNAL_ERROR; the session closes the wire
        } catch (RuntimeException | Error again) {
            IoUtils.safeClose(channel);
        }
    }

    /** After a message: suspends receiving while the session or the send window says so. */
    private void readOnIfAllowed(WebSocketChannel channel) {
        if (ended) {
            return;
        }
        if (!session.readingAllowed()) {
            pause(channel);
            session.whenReadingAllowed(() -> onIoThread(channel, () -> resume(channel)));
        } else if (wire.outputBacklogged()) {
            pause(channel);
            wire.whenOutputDrained(() -> onIoThread(channel, () -> resume(channel)));
        }
    }

    private void pause(WebSocketChannel channel) {
        if (!paused) {
            paused = true;
            channel.suspendReceives();
        }
    }

    /** On the I/O thread: receives again, unless the session or the window still say no (then waits for that). */
    private void resume(WebSocketChannel channel) {
        if (!paused) {
            return;
        }
        if (!ended) {
            if (!session.readingAllowed()) {
                session.whenReadingAllowed(() -> onIoThread(channel, () -> resume(channel)));
                return;
            }
            if (wire.outputBacklogged()) {
                wire.whenOutputDrained(() -> onIoThread(channel, () -> resume(channel)));
                return;
            }
        }
        paused = false;
        channel.resumeReceives();
    }

    /**
     * The session closed the wire (any thread): input is no longer fed, but it is read, so the
     * peer's answer to our close frame arrives and the connection ends cleanly.
     */
    void sessionEnded(WebSocketChannel channel) {
        onIoThread(channel, () -> {
            ended = true;
            resume(channel);
        });
    }

    /**
     * Posts {@code task} to the I/O thread, even from the I/O thread: the callbacks that call this
     * run inside the session's or the window's own code, which must be left before reading resumes.
     */
    private void onIoThread(WebSocketChannel channel, Runnable task) {
        try {
            io.execute(task);
        } catch (RejectedExecutionException e) {
            IoUtils.safeClose(channel); // the I/O thread is gone: so is the connection
        }
    }

    /** The connection closed (Undertow's close task, on the I/O thread): after every message read before. */
    void onClosed(WebSocketChannel channel) {
        end(new IOException("the WebSocket closed"));
    }

    /** The first end wins: a close message (clean EOF), the connection dropping, a read error. */
    private void end(IOException failure) {
        if (ended) {
            return;
        }
        ended = true;
        try {
            if (failure == null) {
                session.onEndOfInput();
            } else {
                session.onInputFailed(failure);
            }
        } catch (RuntimeException | Error e) {
            session.onFault(e);
        }
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        // a close frame that says why, not a dropped connection: 1003, data of a kind we do not take
        ServerClose.withCode(channel, 1003, "libchan.spdy3 takes binary messages only");
        end(new IOException("text message on a libchan.spdy3 WebSocket"));
    }

    @Override
    protected void onCloseMessage(CloseMessage cm, WebSocketChannel channel) {
        end(null); // clean end of input, after the messages before it
    }

    @Override
    protected void onError(WebSocketChannel channel, Throwable error) {
        end(error instanceof IOException ? (IOException) error : new IOException(error.toString(), error));
        IoUtils.safeClose(channel);
    }
}
