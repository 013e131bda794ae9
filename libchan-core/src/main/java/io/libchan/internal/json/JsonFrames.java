package io.libchan.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The frames of the {@code libchan.json} WebSocket framing (PROTOCOL.md section 13, "libchan.json"), one
 * JSON object per text message, each with an {@code op}:
 * <pre>
 *   {"op":"open","id":1,"name":"orders"}   a new top-level channel; its opener sends on it ("name",
 *                                          "traceparent", "tracestate" optional)
 *   {"op":"msg","id":1,"msg":{…}}           one message on channel 1
 *   {"op":"data","id":5,"b64":"AQID"}       bytes on byte stream 5
 *   {"op":"close","id":1}                   the writer of 1 is done (a byte stream: this direction only)
 *   {"op":"cancel","id":1,"reason":"…"}     the reader of 1 stops; the writer's later sends fail
 *   {"op":"credit","id":1,"n":32}           the reader of 1 takes n more messages (bytes on a byte stream)
 *   {"op":"goaway"}                          no new top-level channels; close once the open ones end
 *   {"op":"error","message":"…"}            a fatal protocol error; the connection closes after it
 * </pre>
 */
final class JsonFrames {
    static final String OPEN = "open";
    static final String MSG = "msg";
    static final String DATA = "data";
    static final String CLOSE = "close";
    static final String CANCEL = "cancel";
    static final String CREDIT = "credit";
    static final String GOAWAY = "goaway";
    static final String ERROR = "error";

    /** Messages a writer may send on a channel before it hears of credit. */
    static final int CHANNEL_WINDOW = 64;
    /** Bytes a writer may send on a byte stream before it hears of credit. */
    static final int STREAM_WINDOW = 256 * 1024;
    /** The largest {@code data} frame we write, in raw bytes. */
    static final int DATA_CHUNK = 32 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper(io.libchan.internal.codec.NoThreadLocals.json());

    private JsonFrames() {
    }

    /** @param trace the opener's W3C trace context ({@code traceparent}, {@code tracestate}), usually empty */
    static String open(long id, String name, java.util.Map<String, String> trace) {
        ObjectNode n = MAPPER.createObjectNode().put("op", OPEN).put("id", id);
        if (name != null) {
            n.put("name", name);
        }
        trace.forEach(n::put);
        return write(n);
    }

    /**
     * The trace context of an {@code open} frame: its {@code traceparent} and {@code tracestate}
     * strings as they came (judged when extracted), empty without a {@code traceparent}.
     */
    static java.util.Map<String, String> trace(com.fasterxml.jackson.databind.JsonNode open) {
        com.fasterxml.jackson.databind.JsonNode parent = open.get(io.libchan.internal.trace.TraceHeaders.TRACEPARENT);
        if (parent == null || !parent.isTextual()) {
            return java.util.Map.of();
        }
        com.fasterxml.jackson.databind.JsonNode state = open.get(io.libchan.internal.trace.TraceHeaders.TRACESTATE);
        return io.libchan.internal.trace.TraceHeaders.of(parent.asText(), state != null && state.isTextual() ? state.asText() : null);
    }

    /** A message frame around an already encoded JSON message. */
    static String msg(long id, byte[] message) {
        return "{\"op\":\"msg\",\"id\":" + id + ",\"msg\":" + new String(message, StandardCharsets.UTF_8) + "}";
    }

    static String data(long id, byte[] b, int off, int len) {
        byte[] chunk = off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len);
        return "{\"op\":\"data\",\"id\":" + id + ",\"b64\":\"" + Base64.getEncoder().encodeToString(chunk) + "\"}";
    }

    static String close(long id) {
        return "{\"op\":\"close\",\"id\":" + id + "}";
    }

    static String cancel(long id, String reason) {
        return write(MAPPER.createObjectNode().put("op", CANCEL).put("id", id).put("reason", reason));
    }

    static String credit(long id, long n) {
        return "{\"op\":\"credit\",\"id\":" + id + ",\"n\":" + n + "}";
    }

    static String goAway() {
        return "{\"op\":\"goaway\"}";
    }

    static String error(String message) {
        return write(MAPPER.createObjectNode().put("op", ERROR).put("message", message));
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
