package io.libchan.bench.net;

import io.libchan.ByteStream;
import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.LibchanException;
import io.libchan.Listener;
import io.libchan.MessageListener;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.bench.Reply;
import io.libchan.bench.net.Messages.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The libchan echo server of the network benchmarks, on {@code tcp://127.0.0.1:0}. It speaks the
 * subset of the CLI echo protocol the benchmarks use: for each message on a top-level channel,
 * reply {@code {body: cmd}} on its {@code ret} and close {@code ret}, unless {@code keep} is true:
 * then {@code ret} stays open and answers later messages that carry no {@code ret}. A
 * {@code bytes} field (a byte stream) is echoed with {@code input().transferTo(output())} on a
 * thread of its own.
 *
 * <p>Two ways to receive, the benchmark parameter {@code server}:
 * <ul>
 *   <li>{@link Mode#PUSH}: {@code channel.subscribe(ServerRequest.class, Runnable::run, ...)}, a
 *       direct executor: the listener runs on the session's connection-reader thread, which
 *       decodes the request and writes the reply itself (no thread hand-off on the server);
 *   <li>{@link Mode#LOOP}: a blocking {@code receive} loop on a platform thread per channel.
 * </ul>
 * Replies are blocking {@code send}s: over a network a send returns once the frame is written.
 */
final class LibchanTcpServer implements AutoCloseable {
    enum Mode { PUSH, LOOP }

    private final Mode mode;
    private final Listener listener;
    private final List<Transport> sessions = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> subscriptions = new CopyOnWriteArrayList<>();

    /** A server listening on {@code tcp://127.0.0.1:0}. */
    LibchanTcpServer(Mode mode) {
        this(mode, Libchan.listen("tcp://" + Net.HOST + ":0"));
    }

    /** A server listening on {@code tcp://127.0.0.1:0} with {@code settings}. */
    static LibchanTcpServer listening(Mode mode, io.libchan.Settings settings) {
        return new LibchanTcpServer(mode, Libchan.listen(java.net.URI.create("tcp://" + Net.HOST + ":0"), settings));
    }

    /** A server that only serves the sessions given to {@link #serveInBackground} (listener null). */
    LibchanTcpServer(Mode mode, Listener listener) {
        this.mode = mode;
        this.listener = listener;
        if (listener != null) {
            daemon("libchan-bench-accept", this::acceptLoop);
        }
    }

    URI uri() {
        return listener.uri();
    }

    /** Serves the channels of a session accepted elsewhere. */
    void serveInBackground(Transport session) {
        sessions.add(session);
        daemon("libchan-bench-session", () -> serve(session));
    }

    private void acceptLoop() {
        while (true) {
            Transport session;
            try {
                session = listener.accept();
            } catch (ChannelClosedException e) {
                return;
            }
            serveInBackground(session);
        }
    }

    private void serve(Transport session) {
        try {
            while (true) {
                Receiver channel = session.waitReceiveChannel();
                if (mode == Mode.PUSH) {
                    subscriptions.add(channel.subscribe(ServerRequest.class, Runnable::run, new Handler()));
                } else {
                    daemon("libchan-bench-loop", () -> loop(channel));
                }
            }
        } catch (ChannelClosedException | ConnectionLostException e) {
            // the session ended
        }
    }

    /** Reply channels that came with a trace context (metrics=on), so tracing is seen to be on. */
    static final java.util.concurrent.atomic.LongAdder TRACED_CHANNELS = new java.util.concurrent.atomic.LongAdder();

    private static void loop(Receiver channel) {
        Handler handler = new Handler();
        try {
            while (true) {
                handler.onMessage(channel.receive(ServerRequest.class));
            }
        } catch (EndOfChannelException | ChannelClosedException | ConnectionLostException e) {
            handler.onEnd();
        }
    }

    /** Serves one channel; calls never overlap (one subscription, or one loop thread). */
    private static final class Handler implements MessageListener<ServerRequest> {
        private Sender kept;

        @Override
        public void onMessage(ServerRequest request) {
            if (request.bytes() != null) {
                echo(request.bytes());
            }
            Sender own = request.ret();
            if (own != null && !own.traceContext().isEmpty()) {
                TRACED_CHANNELS.increment();
            }
            boolean keep = Boolean.TRUE.equals(request.keep());
            if (own != null && keep) {
                kept = own;
            }
            Sender ret = own != null ? own : kept;
            if (ret == null || request.cmd() == null) {
                return;
            }
            ret.send(new Reply(request.cmd()));
            if (own != null && !keep) {
                ret.close();
            }
        }

        @Override
        public void onEnd() {
            if (kept != null) {
                kept.close();
            }
        }

        @Override
        public void onError(LibchanException error) {
            onEnd();
        }
    }

    private static void echo(ByteStream stream) {
        daemon("libchan-bench-bytes-echo", () -> {
            try (InputStream in = stream.input(); OutputStream out = stream.output()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the client went away
            } finally {
                stream.close();
            }
        });
    }

    static Thread daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        for (Transport s : sessions) {
            s.abort();
        }
    }
}
