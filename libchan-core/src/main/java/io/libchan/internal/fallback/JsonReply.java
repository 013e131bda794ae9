package io.libchan.internal.fallback;

import io.libchan.ChannelClosedException;
import io.libchan.MessageTypeException;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.spi.EncodeContext;
import java.io.IOException;
import java.time.Duration;

/**
 * The reply channel of a plain JSON call: the first message sent on it is the response body
 * ({@code 200 application/json}); closing it without a message answers {@code 204}. A second
 * message fails with {@link ChannelClosedException}. A reply that carries a channel or a byte
 * stream cannot be sent as JSON: the send fails with {@link MessageTypeException} and the client
 * gets {@code 406}, saying to ask for {@code text/event-stream} (Receivers) or to use HTTP/2 or
 * WebSocket (anything else). Thread-safe: sends are serialised on {@code this}.
 */
final class JsonReply extends Reply {
    private final JsonCodec codec;
    private final CallResponse response;
    private boolean done; // guarded by this

    JsonReply(JsonCodec codec, CallResponse response) {
        this.codec = codec;
        this.response = response;
    }

    @Override
    public synchronized void send(Object message) {
        if (done) {
            throw new ChannelClosedException("this HTTP/1.1 call was answered already: it takes one reply");
        }
        byte[] json;
        try {
            json = codec.encode(message, refused(message));
        } catch (MessageTypeException e) {
            finish(406, Problems.body("not-acceptable", e.getMessage()));
            throw e;
        }
        byte[] body = new byte[json.length + 1];
        System.arraycopy(json, 0, body, 0, json.length);
        body[json.length] = '\n';
        finish(200, body);
    }

    static EncodeContext refused(Object message) {
        return value -> {
            String what = value instanceof io.libchan.Receiver ? "a Receiver: ask with Accept: text/event-stream"
                    : "a " + (value instanceof io.libchan.Sender ? "Sender" : "byte stream") + ": use HTTP/2 or WebSocket";
            throw new MessageTypeException("an HTTP/1.1 JSON reply cannot carry " + what, message, null);
        };
    }

    @Override
    public synchronized void close() {
        if (!done) {
            finish(204, new byte[0]);
        }
    }

    @Override
    synchronized void expire(Duration after) {
        if (!done) {
            finish(504, Problems.body("timeout", "no reply within " + after.toMillis() + " ms"));
        }
    }

    @Override
    synchronized void abandon() {
        if (!done) {
            finish(503, Problems.body("unavailable", "the server dropped the call"));
        }
    }

    private void finish(int status, byte[] body) {
        done = true;
        try {
            response.respond(status, Problems.JSON, body);
        } catch (IOException | RuntimeException e) {
            // the client went away; nothing else to tell anyone
        } finally {
            markFinished();
        }
    }
}
