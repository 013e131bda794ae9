package io.libchan.internal.json;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Two {@link JsonWire}s joined in memory, each direction delivered in order by one thread of its own
 * (as a WebSocket container delivers a connection's messages), so a test can run a client and a server
 * {@link JsonSession} against each other without sockets. Closing either end ends both sessions' input.
 */
final class WirePair implements AutoCloseable {
    private static final String CLOSED = new String("closed");

    final End client = new End("client");
    final End server = new End("server");

    WirePair() {
        client.peer = server;
        server.peer = client;
    }

    /** Starts delivering frames to the sessions (created over {@link #client} and {@link #server}). */
    void start(JsonSession clientSession, JsonSession serverSession) {
        client.start(clientSession);
        server.start(serverSession);
    }

    @Override
    public void close() {
        client.close();
    }

    /** One end: what it sends is delivered to the other end's session. */
    static final class End implements JsonWire {
        private final String name;
        private final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        /** {@code credit} frames this end sent. */
        final AtomicInteger creditsSent = new AtomicInteger();
        private volatile End peer;
        private volatile boolean closed;

        End(String name) {
            this.name = name;
        }

        void start(JsonSession session) {
            Thread t = new Thread(() -> deliver(session::onFrame, session), "wire-to-" + name);
            t.setDaemon(true);
            t.start();
        }

        private void deliver(Consumer<String> onFrame, JsonSession session) {
            try {
                while (true) {
                    String frame = inbox.take();
                    if (frame == CLOSED) {
                        session.onEnd();
                        return;
                    }
                    onFrame.accept(frame);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void send(String frame) throws IOException {
            if (closed) {
                throw new IOException("wire closed");
            }
            if (frame.startsWith("{\"op\":\"credit\"")) {
                creditsSent.incrementAndGet();
            }
            peer.inbox.add(frame);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                inbox.add(CLOSED);
                peer.close();
            }
        }

        @Override
        public String describe() {
            return "in-memory " + name;
        }
    }
}
