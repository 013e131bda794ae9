package io.libchan.undertow.internal.ws;

import io.libchan.internal.session.SpdySession;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.xnio.IoUtils;
import org.xnio.Pooled;

/**
 * Feeds the binary messages of a {@code libchan.spdy3} WebSocket to its session, in order, however
 * the peer split the SPDY bytes. The I/O thread only queues each message; one task at a time on the
 * session's executor digests the queue (never an Undertow I/O thread), so the I/O thread goes on
 * reading while the session works. (Suspending receives for each message and resuming them after
 * it cost two thread hand-offs per message and made every message wait for the previous one's.)
 * Back-pressure: once more than {@value #MAX_QUEUED} bytes wait, receiving is suspended until the
 * queue is down to half, so a peer that outruns the session meets TCP's window. The end of input
 * (a close message, the connection closing) is queued too, so it comes after the messages before it.
 *
 * <p>Thread-safe: Undertow calls in from its I/O thread, the digesting task runs on the executor.
 */
final class SpdyMessageFeeder extends AbstractReceiveListener {
    /** Bytes read ahead of the session before receiving is suspended. */
    static final long MAX_QUEUED = 256 * 1024;

    /** A message to digest, or (data null) the end of input. */
    private record Input(ByteBuffer data, IOException failure) {
    }

    private final SpdySession session;
    private final Executor executor;
    private final long maxMessage;
    private final ConcurrentLinkedQueue<Input> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean digesting = new AtomicBoolean();
    private final ReentrantLock flow = new ReentrantLock(); // orders suspend and resume; never held while blocking
    private long queued;        // guarded by flow
    private boolean suspended;  // guarded by flow
    private volatile boolean ended;

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
        ByteBuffer data = copyAndFree(message.getData());
        flow.lock();
        try {
            queued += data.remaining();
            if (queued > MAX_QUEUED && !suspended) {
                suspended = true;
                channel.suspendReceives();
            }
        } finally {
            flow.unlock();
        }
        submit(channel, new Input(data, null));
    }

    /**
     * The message on the heap, its pooled buffers freed here on the I/O thread: Undertow's pool
     * caches buffers per thread, so buffers freed on the executor never came back to the I/O thread,
     * which then allocated (and zeroed) fresh direct buffers for every message.
     */
    private static ByteBuffer copyAndFree(Pooled<ByteBuffer[]> pooled) {
        try {
            long bytes = 0;
            for (ByteBuffer b : pooled.getResource()) {
                bytes += b.remaining();
            }
            ByteBuffer copy = ByteBuffer.allocate(Math.toIntExact(bytes));
            for (ByteBuffer b : pooled.getResource()) {
                copy.put(b);
            }
            return copy.flip();
        } finally {
            pooled.free();
        }
    }

    /** The connection is gone: the session hears it after the messages that came before. */
    void onClosed(WebSocketChannel channel) {
        submit(channel, new Input(null, new IOException("the WebSocket closed")));
    }

    private void submit(WebSocketChannel channel, Input input) {
        queue.add(input);
        if (digesting.compareAndSet(false, true)) {
            try {
                executor.execute(() -> digest(channel));
            } catch (RejectedExecutionException e) {
                digesting.set(false);
                queue.clear();
                session.onInputFailed(new IOException("no thread to read the WebSocket", e));
            }
        }
    }

    /** Digests everything queued; the last one out re-checks the queue, so nothing is stranded. */
    private void digest(WebSocketChannel channel) {
        do {
            Input next;
            while ((next = queue.poll()) != null) {
                if (next.data() == null) {
                    end(next.failure());
                } else {
                    feed(channel, next);
                }
            }
            digesting.set(false);
        } while (!queue.isEmpty() && digesting.compareAndSet(false, true));
    }

    private void feed(WebSocketChannel channel, Input input) {
        int bytes = input.data().remaining();
        try {
            if (!ended) {
                session.onBytes(input.data());
            }
        } catch (RuntimeException e) {
            session.onInputFailed(new IOException("session failed on input: " + e, e));
        }
        flow.lock();
        try {
            queued -= bytes;
            if (suspended && queued <= MAX_QUEUED / 2) {
                suspended = false;
                channel.resumeReceives();
            }
        } finally {
            flow.unlock();
        }
    }

    /** The first end wins: a close message (clean EOF) or the connection dropping. */
    private void end(IOException failure) {
        if (ended) {
            return;
        }
        ended = true;
        if (failure == null) {
            session.onEndOfInput();
        } else {
            session.onInputFailed(failure);
        }
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        session.onInputFailed(new IOException("text message on a libchan.spdy3 WebSocket"));
        IoUtils.safeClose(channel);
    }

    @Override
    protected void onCloseMessage(CloseMessage cm, WebSocketChannel channel) {
        submit(channel, new Input(null, null)); // clean end of input, after the messages before it
    }

    @Override
    protected void onError(WebSocketChannel channel, Throwable error) {
        session.onInputFailed(error instanceof IOException ? (IOException) error : new IOException(error.toString(), error));
        IoUtils.safeClose(channel);
    }
}
