package io.libchan.bench.http;

import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.LibchanException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.MessageListener;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.bench.Reply;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The echo server of {@link HttpBench}, the same for every transport it is given a listen URI for
 * ({@code tcp://}, {@code h2c://}, {@code ws://}): every channel is served by a direct-executor
 * {@code subscribe} (on the session's reader thread), each {@code {cmd, ret}} answered with
 * {@code {body: cmd}} on {@code ret}, which is then closed unless the request said {@code keep}; a
 * kept {@code ret} also answers the channel's later requests that carry none.
 */
final class HttpEchoServer implements AutoCloseable {
    /** What the server decodes every message into. */
    record ServerRequest(String cmd, Sender ret, Boolean keep) {
    }

    private final Listener listener;
    private final List<AutoCloseable> subscriptions = new CopyOnWriteArrayList<>();

    HttpEchoServer(String listenUri) {
        listener = Libchan.listen(listenUri);
        daemon("http-bench-accept", this::acceptLoop);
    }

    URI uri() {
        return listener.uri();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Transport session = listener.accept();
                daemon("http-bench-session", () -> serve(session));
            }
        } catch (LibchanException closed) {
            // listener closed
        }
    }

    private void serve(Transport session) {
        try {
            while (true) {
                Receiver channel = session.waitReceiveChannel();
                subscriptions.add(channel.subscribe(ServerRequest.class, Runnable::run, new Handler()));
            }
        } catch (ChannelClosedException | ConnectionLostException e) {
            // the session ended
        }
    }

    /** Serves one channel; calls never overlap (one subscription). */
    private static final class Handler implements MessageListener<ServerRequest> {
        private Sender kept;

        @Override
        public void onMessage(ServerRequest request) {
            Sender own = request.ret();
            boolean keep = Boolean.TRUE.equals(request.keep());
            if (own != null && keep) {
                kept = own;
            }
            Sender ret = own != null ? own : kept;
            if (ret == null) {
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

    private static void daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        listener.close();
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }
}
