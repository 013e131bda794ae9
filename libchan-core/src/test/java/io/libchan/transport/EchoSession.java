package io.libchan.transport;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.MessageListener;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The bench's request/reply shape over one loopback TCP session, for tests that count what a round
 * trip costs: a client with one request channel, and a server answering on the connection's I/O
 * thread (a direct-executor subscription) on the request's reply channel, or on the one it was
 * asked to keep.
 */
final class EchoSession implements AutoCloseable {
    static final String TEXT = "x".repeat(64);
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The bench's request: a command and the channel for its reply (kept when {@code keep}). */
    public record Request(String cmd, Sender ret, Boolean keep) {
    }

    public record Reply(String body) {
    }

    private final Listener listener;
    private final Transport client;
    private final Transport server;
    /** The client's request channel, already taken by the server. */
    final Sender requests;

    EchoSession() throws Exception {
        listener = Libchan.listen("tcp://127.0.0.1:0");
        Transport c = null;
        Transport s = null;
        try {
            CompletableFuture<Transport> accepted = listener.acceptAsync();
            c = Libchan.connect(listener.uri().toString());
            s = accepted.get(30, TimeUnit.SECONDS);
        } catch (Exception | Error e) {
            if (c != null) {
                c.close();
            }
            listener.close();
            throw e;
        }
        client = c;
        server = s;
        requests = client.newSendChannel();
        requests.send(new Request(TEXT, null, null)); // opens the channel: the server takes it now
        Receiver channel = server.waitReceiveChannel();
        channel.subscribe(Request.class, Runnable::run, new Echo());
    }

    /** One request with a fresh reply channel, and its reply's body. */
    String roundTrip() {
        Pipe reply = Pipe.create();
        requests.send(new Request(TEXT, reply.sender(), null));
        return reply.receiver().receive(Reply.class, WAIT).body();
    }

    @Override
    public void close() {
        client.close();
        server.close();
        listener.close();
    }

    /** Answers on the request's reply channel, or on the kept one; closes a reply channel not kept. */
    private static final class Echo implements MessageListener<Request> {
        private Sender kept;

        @Override
        public void onMessage(Request request) {
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
    }
}
