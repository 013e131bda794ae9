package io.libchan.bench.load;

import io.libchan.ChannelClosedException;
import io.libchan.ChannelTimeoutException;
import io.libchan.ConnectionLostException;
import io.libchan.EndOfChannelException;
import io.libchan.ErrorReply;
import io.libchan.LibchanException;
import io.libchan.Libchan;
import io.libchan.MessageListener;
import io.libchan.MessageTooLargeException;
import io.libchan.Pipe;
import io.libchan.ProtocolException;
import io.libchan.RemoteErrorException;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The libchan client API against {@code libchan.jar echo} over {@code tcp://}. Note that today a
 * libchan client session costs the harness a reader thread.
 *
 * <ul>
 *   <li>request/reply: {@code {cmd: 64 bytes, ret}} with a fresh {@link Pipe} per request on one
 *       top-level channel; the echo answers {@code {cmd}} on {@code ret} and closes it;
 *   <li>(c): {@code {body: 15 MiB byte[], ret}} on a session of its own;
 *   <li>(b): a top-level channel per stream; its first message {@code {seq, t, body, ret, keep: true}}
 *       gives the echo a reply channel to keep, later ones {@code {seq, t, body}} are answered on it
 *       (one channel each way, as a gRPC bidi stream). Replies are taken by
 *       {@code subscribe} on a direct executor (no thread per channel in the harness).
 * </ul>
 */
final class LibchanPeer implements Peer {
    private static final Executor DIRECT = Runnable::run;

    @Override
    public String label() {
        return "ours";
    }

    private static Transport connect(int port) {
        return Libchan.connect(URI.create("tcp://127.0.0.1:" + port),
                Settings.builder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    @Override
    public Caller caller(int port) {
        Transport session = connect(port);
        Sender channel = session.newSendChannel();
        return new Caller() {
            @Override
            public void call(Duration timeout) {
                Pipe ret = Pipe.create();
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("cmd", BODY);
                request.put("ret", ret.sender());
                channel.send(request, timeout);
                Map<?, ?> reply = ret.receiver().receive(Map.class, timeout);
                if (!BODY.equals(reply.get("cmd"))) {
                    throw new IllegalStateException("wrong reply " + reply);
                }
            }

            @Override
            public void close() {
                session.abort();
            }
        };
    }

    @Override
    public Outcome big(int port, byte[] body, Runnable gate, Duration timeout) {
        Transport session;
        try {
            session = connect(port);
        } catch (LibchanException e) {
            return new Outcome(Kind.FAILED, "connect: " + e);
        }
        try {
            Sender channel = session.newSendChannel();
            Pipe ret = Pipe.create();
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("body", body);
            request.put("ret", ret.sender());
            gate.run();
            channel.send(request, timeout);
            Map<?, ?> reply = ret.receiver().receive(Map.class, timeout);
            if (ErrorReply.asError(reply).isPresent()) {
                return new Outcome(Kind.REFUSED, "error reply " + ErrorReply.asError(reply).get().getMessage());
            }
            Object echoed = reply.get("body");
            if (echoed instanceof byte[] && ((byte[]) echoed).length == body.length) {
                return new Outcome(Kind.ANSWERED, "");
            }
            return new Outcome(Kind.FAILED, "wrong reply");
        } catch (EndOfChannelException e) {
            return new Outcome(Kind.FAILED, "ret closed without a reply");
        } catch (MessageTooLargeException | ChannelClosedException | RemoteErrorException | ProtocolException e) {
            return new Outcome(Kind.REFUSED, e.getClass().getSimpleName());
        } catch (ConnectionLostException e) {
            return new Outcome(Kind.LOST, e.getClass().getSimpleName());
        } catch (ChannelTimeoutException e) {
            return new Outcome(Kind.TIMEOUT, e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            return new Outcome(Kind.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            session.abort();
        }
    }

    @Override
    public Session session(int port, int channels, Duration timeout, Replies replies) throws Exception {
        Transport session = connect(port);
        Sender[] senders = new Sender[channels];
        CountDownLatch firstReplies = new CountDownLatch(channels);
        AtomicBoolean established = new AtomicBoolean(); // failures before that are this call's, not the run's
        try {
            for (int i = 0; i < channels; i++) {
                senders[i] = session.newSendChannel();
                Pipe ret = Pipe.create();
                ret.receiver().subscribe(Object.class, DIRECT, new MessageListener<Object>() {
                    @Override
                    public void onMessage(Object message) {
                        Map<?, ?> reply = (Map<?, ?>) message;
                        long seq = ((Number) reply.get("seq")).longValue();
                        if (seq < 0) {
                            firstReplies.countDown();
                        } else {
                            replies.reply(seq, ((Number) reply.get("t")).longValue());
                        }
                    }

                    @Override
                    public void onError(LibchanException error) {
                        if (established.get()) {
                            replies.failed(error);
                        }
                    }
                });
                Map<String, Object> first = message(-1, System.nanoTime());
                first.put("ret", ret.sender());
                first.put("keep", true);
                senders[i].send(first, timeout);
            }
            if (!firstReplies.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ChannelTimeoutException("first replies: " + (channels - firstReplies.getCount()) + " of " + channels);
            }
            established.set(true);
        } catch (Exception e) {
            session.abort();
            throw e;
        }
        return new Session() {
            @Override
            public void send(int channel, long seq, long sentNanos) {
                senders[channel].send(message(seq, sentNanos), Duration.ofSeconds(2));
            }

            @Override
            public void close() {
                session.abort();
            }
        };
    }

    private static Map<String, Object> message(long seq, long sentNanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("t", sentNanos);
        m.put("body", BODY);
        return m;
    }
}
