package io.libchan.undertow.internal.ws;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.XnioIoThread;

/**
 * Sends messages (binary, or text for {@code libchan.json}) on a server WebSocket from any thread, in order, never waiting. Undertow
 * writes a message on the connection's I/O thread and hands each send made elsewhere to that
 * thread as a task of its own (a selector wake-up each); here messages from other threads are
 * queued and one task on the I/O thread sends all that are waiting, so a busy stretch costs a few
 * hand-offs rather than one per message. On the I/O thread itself (the session's reader answering
 * what it just read) a message is sent at once, after whatever other threads queued before it.
 * The bytes not yet written are counted in a {@link SendWindow}, which is how writers and the
 * reader feel a slow peer.
 *
 * <p>Thread-safe; ordered as long as one thread at a time calls {@link #send} (the session's writer).
 */
final class IoThreadSends {
    private final WebSocketChannel channel;
    private final XnioIoThread io;
    private final SendWindow window;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>(); // run on the I/O thread, in order
    private final AtomicBoolean scheduled = new AtomicBoolean();

    IoThreadSends(WebSocketChannel channel) {
        this.channel = channel;
        this.io = channel.getIoThread();
        this.window = new SendWindow(channel::isOpen);
    }

    SendWindow window() {
        return window;
    }

    boolean onIoThread() {
        return Thread.currentThread() == io;
    }

    /** Hands {@code message} (which the caller gives up) over to be sent; never blocks. */
    void send(ByteBuffer message) throws IOException {
        hand(message.remaining(), callback -> WebSockets.sendBinary(message, channel, callback));
    }

    /** Hands the text message {@code text} over to be sent; never blocks. */
    void sendText(String text) throws IOException {
        hand(text.length(), callback -> WebSockets.sendText(text, channel, callback)); // chars: close enough to count bytes out
    }

    /** Counts {@code bytes} out and sends on the I/O thread, in order; {@code sender} starts the send with the callback it is given. */
    private void hand(long bytes, java.util.function.Consumer<WebSocketCallback<Void>> sender) throws IOException {
        window.add(bytes);
        WebSocketCallback<Void> done = new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                window.release(bytes);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable error) {
                window.fail(bytes, error instanceof IOException ? (IOException) error : new IOException(String.valueOf(error), error));
            }
        };
        Runnable task = () -> sender.accept(done);
        if (onIoThread()) {
            runQueued(); // what other threads handed over first goes first
            task.run();
            return;
        }
        if (!submit(task)) {
            IOException failure = new IOException("the WebSocket's I/O thread is gone");
            window.fail(bytes, failure);
            throw failure;
        }
    }

    /**
     * Runs {@code task} on the I/O thread once every message handed over before it has been given
     * to Undertow (a close frame must not overtake the session's last frames): at once when called
     * there; here if the I/O thread is gone.
     */
    void thenRun(Runnable task) {
        if (onIoThread()) {
            runQueued();
            task.run();
        } else if (!submit(task)) {
            task.run();
        }
    }

    private boolean submit(Runnable task) {
        queue.add(task);
        if (scheduled.compareAndSet(false, true)) {
            try {
                io.execute(this::runQueued);
            } catch (RejectedExecutionException e) {
                queue.clear(); // the connection is gone with its thread: nothing queued can be sent
                return false;
            }
        }
        return true;
    }

    /** On the I/O thread: Undertow writes each message at once, without another hand-off. */
    private void runQueued() {
        scheduled.set(false); // a task queued from now on schedules another run
        Runnable task;
        while ((task = queue.poll()) != null) {
            task.run();
        }
    }
}
