package io.libchan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.libchan.ByteStream;
import io.libchan.BytePipe;
import io.libchan.EndOfChannelException;
import io.libchan.LibchanException;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JSON forms of the CLI (README, "The CLI"). On input a single-key object whose key starts
 * with {@code $} makes a value JSON cannot express: {@code {"$bin": base64}}, {@code {"$time":
 * "RFC 3339"}}, {@code {"$receiver": [messages]}} (a channel that delivers those messages, then
 * ends), {@code {"$sender": true}} (a channel whose messages are printed; {@code {"$sender": n}}:
 * done after n of them), {@code {"$stream": "text"}} (a byte stream that sends the text,
 * half-closes, and prints what comes back; with {@code "mode": "read"} the peer only reads, with
 * {@code "write"} it only writes). On output
 * the same forms are printed, and every nested channel or stream received is drained: each of its
 * messages is a line {@code {"$from": n, "message": ...}}, its bytes {@code {"$from": n, "data":
 * "..."}}, its end {@code {"$from": n, "end": true}}; {@code n} numbers them in order of appearance.
 */
final class CliJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final PrintStream out;
    private final Executor executor;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final List<CompletableFuture<Void>> drains = new ArrayList<>();
    private final List<Runnable> afterSend = new ArrayList<>();
    private final CompletableFuture<Void> firstNested = new CompletableFuture<>();
    final AtomicBoolean sawError = new AtomicBoolean();
    /** A line was printed: the peer answered something, on {@code ret} or on a nested channel or stream. */
    final AtomicBoolean printedAny = new AtomicBoolean();

    CliJson(PrintStream out, Executor executor) {
        this.out = out;
        this.executor = executor;
    }

    // ------------------------------------------------------------------ input

    /** The message a JSON text describes; channels it asks for are set up to run after {@link #sent()}. */
    Object parse(String json) throws IOException {
        return fromJson(MAPPER.readTree(json));
    }

    private Object fromJson(JsonNode node) {
        if (node.isObject()) {
            if (node.size() == 2 && node.has("$stream") && node.path("mode").isTextual()) {
                return stream(node.get("$stream").asText(), node.get("mode").asText());
            }
            if (node.size() == 1) {
                String key = node.fieldNames().next();
                if (key.startsWith("$")) {
                    Object special = special(key, node.get(key));
                    if (special != null) {
                        return special;
                    }
                }
            }
            Map<String, Object> map = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                map.put(f.getKey(), fromJson(f.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(fromJson(n)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return null;
    }

    private Object special(String key, JsonNode value) {
        switch (key) {
            case "$bin":
                return Base64.getDecoder().decode(value.asText());
            case "$time":
                return Instant.parse(value.asText());
            case "$receiver": {
                Pipe pipe = Pipe.create();
                List<Object> items = new ArrayList<>();
                value.forEach(n -> items.add(fromJson(n)));
                afterSend.add(() -> executor.execute(() -> {
                    try {
                        for (Object item : items) {
                            pipe.sender().send(item);
                        }
                    } catch (LibchanException e) {
                        System.err.println("sending on a $receiver channel failed: " + e.getMessage());
                    } finally {
                        pipe.sender().close();
                    }
                }));
                return pipe.receiver();
            }
            case "$sender": {
                Pipe pipe = Pipe.create();
                // a count: the channel is done for us after that many messages (the peer may never close it)
                long limit = value.isIntegralNumber() && value.longValue() > 0 ? value.longValue() : Long.MAX_VALUE;
                drainLater(pipe.receiver(), nextId.getAndIncrement(), limit);
                return pipe.sender();
            }
            case "$stream":
                return stream(value.asText(), "duplex");
            default:
                return null;
        }
    }

    /**
     * A byte stream for the peer: {@code mode} as in the JSON framing, from the peer's side:
     * {@code read}, the peer only reads (the text is written and the stream is done, nothing is
     * awaited back); {@code write}, the peer only writes (nothing is sent, what comes back is
     * printed); else both.
     */
    private ByteStream stream(String text, String mode) {
        if (!mode.equals("read") && !mode.equals("write") && !mode.equals("duplex")) {
            throw new IllegalArgumentException("a $stream's mode is read or write, not '" + mode + "'");
        }
        BytePipe pipe = BytePipe.create();
        byte[] bytes = mode.equals("write") ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        int id = nextId.getAndIncrement();
        CompletableFuture<Void> written = new CompletableFuture<>();
        afterSend.add(() -> executor.execute(() -> {
            try {
                pipe.local().output().write(bytes);
            } catch (IOException e) {
                System.err.println("writing a $stream failed: " + e.getMessage());
            } finally {
                pipe.local().closeWrite();
                written.complete(null);
            }
        }));
        if (mode.equals("read")) {
            track(written); // nothing comes back: done once written
        } else {
            drainBytesLater(pipe.local(), id);
        }
        return pipe.remote();
    }

    /** The message went out: start feeding the channels and streams it carries. */
    void sent() {
        afterSend.forEach(Runnable::run);
        afterSend.clear();
    }

    // ------------------------------------------------------------------ output

    /** Prints one received message as a line, draining what it carries. */
    void print(Object message, Integer from) {
        List<Runnable> drainsToStart = new ArrayList<>();
        JsonNode json = toJson(message, drainsToStart);
        if (from == null) {
            if (io.libchan.ErrorReply.asError(message).isPresent()) {
                sawError.set(true);
            }
            printLine(json);
        } else {
            ObjectNode line = JsonNodeFactory.instance.objectNode();
            line.put("$from", from);
            line.set("message", json);
            printLine(line);
        }
        // the line that names a channel comes before the lines of its messages
        drainsToStart.forEach(Runnable::run);
    }

    private synchronized void printLine(JsonNode json) {
        printedAny.set(true);
        try {
            out.println(MAPPER.writeValueAsString(json));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode toJson(Object value, List<Runnable> drainsToStart) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        if (value instanceof Map) {
            ObjectNode o = f.objectNode();
            ((Map<?, ?>) value).forEach((k, v) -> o.set(String.valueOf(k), toJson(v, drainsToStart)));
            return o;
        }
        if (value instanceof List) {
            ArrayNode a = f.arrayNode();
            ((List<?>) value).forEach(v -> a.add(toJson(v, drainsToStart)));
            return a;
        }
        if (value instanceof String) {
            return f.textNode((String) value);
        }
        if (value instanceof Boolean) {
            return f.booleanNode((Boolean) value);
        }
        if (value instanceof BigInteger) {
            return f.numberNode((BigInteger) value);
        }
        if (value instanceof Long || value instanceof Integer) {
            return f.numberNode(((Number) value).longValue());
        }
        if (value instanceof Number) {
            return f.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof byte[]) {
            return f.objectNode().put("$bin", Base64.getEncoder().encodeToString((byte[]) value));
        }
        if (value instanceof Instant) {
            return f.objectNode().put("$time", value.toString());
        }
        if (value instanceof Receiver) {
            int id = nextId.getAndIncrement();
            drainsToStart.add(() -> drainLater((Receiver) value, id, Long.MAX_VALUE));
            return f.objectNode().put("$receiver", id);
        }
        if (value instanceof ByteStream) {
            int id = nextId.getAndIncrement();
            ((ByteStream) value).closeWrite();
            drainsToStart.add(() -> drainBytesLater((ByteStream) value, id));
            return f.objectNode().put("$stream", id);
        }
        if (value instanceof Sender) {
            int id = nextId.getAndIncrement();
            ((Sender) value).close();
            return f.objectNode().put("$sender", id);
        }
        return f.textNode(value.toString());
    }

    private void track(CompletableFuture<Void> done) {
        synchronized (drains) {
            drains.add(done);
        }
        firstNested.complete(null);
    }

    /** Prints what comes on {@code receiver} until it ends, or until {@code limit} messages came (then closes it). */
    private void drainLater(Receiver receiver, int id, long limit) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        track(done);
        executor.execute(() -> {
            try {
                for (long n = 0; n < limit; n++) {
                    print(receiver.receive(), id);
                }
                receiver.close(); // as many as asked for: done with it
                done.complete(null);
            } catch (EndOfChannelException end) {
                printLine(JsonNodeFactory.instance.objectNode().put("$from", id).put("end", true));
                done.complete(null);
            } catch (LibchanException e) {
                done.completeExceptionally(e);
            }
        });
    }

    private void drainBytesLater(ByteStream stream, int id) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        track(done);
        executor.execute(() -> {
            try (InputStream in = stream.input()) {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                in.transferTo(got);
                printLine(JsonNodeFactory.instance.objectNode().put("$from", id)
                        .put("data", got.toString(StandardCharsets.UTF_8)));
                printLine(JsonNodeFactory.instance.objectNode().put("$from", id).put("end", true));
                done.complete(null);
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        });
    }

    /**
     * Completes once there was at least one nested channel or stream (in the message or a reply) and
     * every one seen so far (and those they carried) ended; never while there was none.
     */
    CompletableFuture<Void> nestedEnded() {
        return firstNested.thenCompose(v -> drained());
    }

    /** Completes when every channel and stream seen so far (and those they carried) ended. */
    CompletableFuture<Void> drained() {
        List<CompletableFuture<Void>> now;
        synchronized (drains) {
            now = new ArrayList<>(drains);
        }
        return CompletableFuture.allOf(now.toArray(new CompletableFuture<?>[0])).thenCompose(v -> {
            synchronized (drains) {
                if (drains.size() == now.size()) {
                    return CompletableFuture.completedFuture(null);
                }
            }
            return drained();
        });
    }

}
