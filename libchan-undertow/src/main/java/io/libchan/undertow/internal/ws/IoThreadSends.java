package io.libchan.undertow.internal.ws;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends binary messages on a server WebSocket from any thread, in order, without waiting for them
 * to be written. Undertow writes a message on the connection's I/O thread and hands each send made
 * elsewhere to that thread as a task of its own (a selector wake-up each); here messages are queued
 * and one task on the I/O thread sends all that are waiting, so a busy stretch costs a few hand-offs
 * rather than one per message. {@link SendWindow} bounds the unwritten bytes: {@link #send} blocks
 * while the window is full (back-pressure), so it must not be called on an I/O thread.
 *
 * <p>Thread-safe; ordered as long as one thread at a time calls {@link #send} (the session's writer).
 */
final class IoThreadSends {
    private final WebSocketChannel channel;
    private final SendWindow window;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>(); // run on the I/O thread, in order
    private final AtomicBoolean scheduled = new AtomicBoolean();

    IoThreadSends(WebSocketChannel channel) {
        this.channel = channel;
        this.window = new SendWindow(channel::isOpen);
    }

    /** Queues {@code message} (which the caller gives up) to be sent; blocks while the window is full. */
    void send(ByteBuffer message) throws IOException {
        long bytes = message.remaining();
        window.acquire(bytes);
        if (!submit(() -> WebSockets.sendBinary(message, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                window.release(bytes);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable error) {
                window.fail(bytes, error instanceof IOException ? (IOException) error : new IOException(String.valueOf(error), error));
            }
        }))) {
            IOException failure = new IOException("the WebSocket's I/O thread is gone");
            window.fail(bytes, failure);
            throw failure;
        }
    }

    /**
     * Runs {@code task} on the I/O thread once every message queued before it has been handed to
     * Undertow (a close frame must not overtake the session's last frames); runs it here if the I/O
     * thread is gone.
     */
    void thenRun(Runnable task) {
        if (!submit(task)) {
            task.run();
        }
    }

    private boolean submit(Runnable task) {
        queue.add(task);
        if (scheduled.compareAndSet(false, true)) {
            try {
                channel.getIoThread().execute(this::runQueued);
            } catch (RejectedExecutionException e) {
                queue.clear(); // the connection is gone with its thread: nothing queued can be sent
                return false;
            }
        }
        return true;
    }

    /** Throws the first failure of an earlier send, if any. */
    void check() throws IOException {
        window.check();
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
