package io.libchan.internal.fallback;

import io.libchan.ChannelClosedException;
import io.libchan.ErrorReply;
import io.libchan.LibchanException;
import io.libchan.MessageListener;
import io.libchan.MessageTypeException;
import io.libchan.Receiver;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.internal.session.SessionThreads;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 call answered as Server-Sent Events (PROTOCOL.md section 13, "HTTP/1.1 fallback"): the
 * reply channel is channel 0, and every {@link Receiver} in a message sent on it (at any depth, in
 * later messages too) becomes channel 1, 2…, whose messages follow as events of their own. Events:
 * {@code message} ({@code {"channel": n, "message": …}}), {@code end} ({@code {"channel": n}}) and
 * {@code error} ({@code {"channel": n, "error": {"type", "message"}}}). The response ends when every
 * channel has ended. Senders and byte streams cannot be carried: such a send fails with
 * {@link MessageTypeException}; on the reply channel it also fails that channel with an
 * {@code error} event of type {@code not-acceptable} (a JSON call's 406), and on a nested channel
 * the subscription ends with an {@code error} event. A comment line every 15 s keeps proxies from
 * timing the stream out and finds clients that left; once the client is gone, every channel of the
 * call is closed, so the application's senders fail.
 *
 * <p>Thread-safe: events are written under {@code this}, one whole event at a time.
 */
final class EventStream {
    static final String TYPE = HttpCalls.EVENT_STREAM;
    private static final long HEARTBEAT_SECONDS = 15;

    private final JsonCodec codec;
    private final CallResponse response;
    private final Executor executor;
    private final ReplyChannel reply = new ReplyChannel();
    // guarded by this:
    private boolean started;
    private boolean over;
    private int open = 1; // channel 0
    private int nextId = 1;
    private final List<Receiver> pumped = new ArrayList<>();
    private ScheduledFuture<?> heartbeat;

    EventStream(JsonCodec codec, CallResponse response, Executor executor) {
        this.codec = codec;
        this.response = response;
        this.executor = executor;
    }

    /** Channel 0, the call's {@code ret}. */
    Reply reply() {
        return reply;
    }

    private record Nested(int id, Receiver receiver) {
    }

    private synchronized void message(int channel, Object message) {
        if (over) {
            throw new ChannelClosedException("the event stream of this HTTP/1.1 call has ended");
        }
        List<Nested> fresh = new ArrayList<>();
        byte[] json = codec.encode(message, references(message, fresh));
        if (write("message", "{\"channel\":" + channel + ",\"message\":" + new String(json, StandardCharsets.UTF_8) + "}")) {
            for (Nested n : fresh) {
                open++;
                pumped.add(n.receiver());
                forward(n);
            }
        } else {
            throw new ChannelClosedException("the client of this HTTP/1.1 call went away");
        }
    }

    private EncodeContext references(Object message, List<Nested> fresh) {
        return value -> {
            if (!(value instanceof Receiver)) {
                throw new MessageTypeException("Server-Sent Events can carry Receivers only, not a "
                        + (value instanceof io.libchan.Sender ? "Sender" : "byte stream") + ": use HTTP/2 or WebSocket", message, null);
            }
            int id = nextId++;
            fresh.add(new Nested(id, (Receiver) value));
            return new Reference(ReferenceKind.RECEIVER, id);
        };
    }

    /**
     * Forwards a nested channel's messages as events, by push: an idle channel holds no thread, and
     * the next message is taken once the last event is written.
     */
    private void forward(Nested n) {
        n.receiver().subscribe(Object.class, executor, new MessageListener<>() {
            @Override
            public void onMessage(Object message) {
                message(n.id(), message);
            }

            @Override
            public void onEnd() {
                ended(n.id());
            }

            @Override
            public void onError(LibchanException error) {
                fail(n.id(), error);
                if (error instanceof MessageTypeException) {
                    n.receiver().close();
                }
            }
        });
    }

    private synchronized void ended(int channel) {
        if (over) {
            return;
        }
        write("end", "{\"channel\":" + channel + "}");
        closeOne();
    }

    private synchronized void fail(int channel, LibchanException e) {
        if (over) {
            return;
        }
        writeError(channel, ErrorReply.of(e));
        closeOne();
    }

    private void writeError(int channel, Object errorReply) {
        String json = new String(codec.encode(errorReply, EncodeContext.NONE), StandardCharsets.UTF_8);
        write("error", "{\"channel\":" + channel + "," + json.substring(1));
    }

    private void closeOne() {
        if (--open == 0) {
            over = true;
            try {
                response.end();
            } catch (IOException e) {
                // the client went away after the last event
            }
            stop();
        }
    }

    /** Writes one event; on failure (the client left) ends the call. Returns false if nothing could be written. */
    private boolean write(String event, String data) {
        try {
            if (!started) {
                response.startEvents();
                started = true;
                reply.markAnswered();
                heartbeat = SessionThreads.timer().scheduleWithFixedDelay(this::beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
            }
            response.event(event, data);
            return true;
        } catch (IOException | RuntimeException e) {
            over = true;
            stop();
            return false;
        }
    }

    private synchronized void beat() {
        if (over) {
            return;
        }
        try {
            response.comment();
        } catch (IOException | RuntimeException e) {
            over = true;
            stop();
        }
    }

    /** Ends the call's work: heartbeat off, every nested channel closed, the handler released. */
    private void stop() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        for (Receiver r : pumped) {
            r.close();
        }
        pumped.clear();
        reply.markFinished();
    }

    /** Before the first event, an error answers the call as a whole; after it, an error event ends channel 0. */
    private synchronized void abort(int status, String type, String text) {
        if (over) {
            return;
        }
        if (!started) {
            over = true;
            try {
                response.respond(status, Problems.JSON, Problems.body(type, text));
            } catch (IOException | RuntimeException e) {
                // the client went away
            }
            stop();
            return;
        }
        reply.open = false;
        writeError(0, ErrorReply.of(type, text));
        over = true;
        try {
            response.end();
        } catch (IOException e) {
            // the client went away
        }
        stop();
    }

    /** Channel 0 as the application's {@code ret}: any number of messages, then close. */
    private final class ReplyChannel extends Reply {
        private boolean open = true; // guarded by EventStream.this

        @Override
        public void send(Object message) {
            synchronized (EventStream.this) {
                if (!open) {
                    throw new ChannelClosedException("send on a closed channel");
                }
                try {
                    EventStream.this.message(0, message);
                } catch (MessageTypeException e) {
                    // the client is told, as a JSON call is with 406: the reply channel fails
                    open = false;
                    if (!over) {
                        writeError(0, ErrorReply.of("not-acceptable", e.getMessage()));
                        closeOne();
                    }
                    throw e;
                }
            }
        }

        @Override
        public void close() {
            synchronized (EventStream.this) {
                if (open) {
                    open = false;
                    ended(0);
                }
            }
        }

        @Override
        void expire(Duration after) {
            abort(504, "timeout", "no reply within " + after.toMillis() + " ms");
        }

        @Override
        void abandon() {
            abort(503, "unavailable", "the server dropped the call");
        }
    }
}
