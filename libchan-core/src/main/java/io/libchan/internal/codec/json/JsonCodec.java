package io.libchan.internal.codec.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.libchan.MessageTooLargeException;
import io.libchan.ProtocolException;
import io.libchan.Settings;
import io.libchan.internal.codec.CodecErrors;
import io.libchan.internal.convert.MessageConverter;
import io.libchan.internal.convert.ReferenceWriter;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageFramer;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages as JSON text, for browsers and the HTTP/1.1 fallback; channels, byte streams, binary and
 * time take the forms of {@link JsonForms}. In a byte stream, messages are separated by newlines
 * (JSON text never contains a raw newline as we write it). Decoding builds the untyped form first,
 * then converts it to the requested type; string, number and nesting sizes are limited. Thread-safe.
 */
public final class JsonCodec implements MessageCodec {
    private final ObjectMapper mapper;
    private final int maxBytes;
    /** Each message ends with a newline: the delimiter {@link #newFramer()} looks for on a stream. */
    private final boolean lineEnded;

    /** A codec for one message per body (HTTP, WebSocket frames): no newline after it. */
    public JsonCodec(Settings settings) {
        this(settings, false);
    }

    /** A codec for a SPDY channel's stream of messages: each one ends with a newline (PROTOCOL.md section 8). */
    public static JsonCodec lines(Settings settings) {
        return new JsonCodec(settings, true);
    }

    private JsonCodec(Settings settings, boolean lineEnded) {
        this.lineEnded = lineEnded;
        this.maxBytes = settings.maxMessageBytes();
        JsonFactory factory = io.libchan.internal.codec.NoThreadLocals.pooled(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(settings.maxNestingDepth())
                        .maxStringLength(settings.maxMessageBytes())
                        .maxDocumentLength(settings.maxMessageBytes())
                        .build())
                .build());
        SimpleModule bin = new SimpleModule("libchan-json-bin");
        bin.addSerializer(byte[].class, new StdSerializer<>(byte[].class) {
            @Override
            public void serialize(byte[] value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeStartObject();
                gen.writeStringField(JsonForms.BIN, Base64.getEncoder().encodeToString(value));
                gen.writeEndObject();
            }
        });
        this.mapper = MessageConverter.configure(JsonMapper.builder(factory)).addModule(bin).build();
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public byte[] encode(Object message, EncodeContext refs) {
        ReferenceWriter writer = (value, gen) -> writeSpecial(value, gen, refs);
        byte[] bytes;
        try {
            bytes = mapper.writer().withAttribute(ReferenceWriter.ATTRIBUTE, writer).writeValueAsBytes(message);
        } catch (IOException e) {
            throw CodecErrors.encode(message, e);
        }
        if (lineEnded) {
            bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            bytes[bytes.length - 1] = '\n';
        }
        if (bytes.length > maxBytes) {
            throw new MessageTooLargeException("message of " + bytes.length + " bytes is over the limit of " + maxBytes);
        }
        return bytes;
    }

    private static void writeSpecial(Object value, JsonGenerator gen, EncodeContext refs) throws IOException {
        gen.writeStartObject();
        if (value instanceof Instant) {
            gen.writeStringField(JsonForms.TIME, value.toString());
        } else {
            Reference ref = refs.reference(value);
            switch (ref.kind()) {
                case SENDER:
                    gen.writeNumberField(JsonForms.SENDER, ref.id());
                    break;
                case RECEIVER:
                    gen.writeNumberField(JsonForms.RECEIVER, ref.id());
                    break;
                default:
                    gen.writeNumberField(JsonForms.STREAM, ref.id());
                    if (ref.kind() != ReferenceKind.BYTE_STREAM) {
                        gen.writeStringField(JsonForms.MODE, ref.kind() == ReferenceKind.BYTE_STREAM_READ ? "read" : "write");
                    }
            }
        }
        gen.writeEndObject();
    }

    @Override
    public MessageFramer newFramer() {
        return new MessageFramer() {
            private long length; // bytes of the current message fed so far

            @Override
            public int feed(byte[] buf, int off, int len) {
                for (int i = 0; i < len; i++) {
                    if (buf[off + i] == '\n') {
                        length = 0;
                        return i + 1;
                    }
                    if (++length > maxBytes) {
                        throw new MessageTooLargeException("JSON message over the limit of " + maxBytes + " bytes");
                    }
                }
                return -1;
            }
        };
    }

    @Override
    public <T> T decode(byte[] buf, int off, int len, Class<T> type, DecodeContext refs) {
        if (len > maxBytes) {
            throw new MessageTooLargeException("message of " + len + " bytes is over the limit of " + maxBytes);
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(buf, off, len);
        } catch (IOException e) {
            RuntimeException own = CodecErrors.ours(e);
            if (own != null) {
                throw own;
            }
            throw new ProtocolException("malformed JSON message: " + e.getMessage(), false, e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ProtocolException("empty JSON message");
        }
        Object untyped = untyped(tree, refs);
        return MessageConverter.convert(untyped, type);
    }

    /** The untyped form of a JSON tree, with the {@link JsonForms} resolved. */
    public static Object untyped(JsonNode node, DecodeContext refs) {
        switch (node.getNodeType()) {
            case OBJECT:
                Object special = special(node, refs);
                if (special != null) {
                    return special;
                }
                Map<String, Object> map = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    map.put(f.getKey(), untyped(f.getValue(), refs));
                }
                return map;
            case ARRAY:
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode n : node) {
                    list.add(untyped(n, refs));
                }
                return list;
            case STRING:
                return node.textValue();
            case NUMBER:
                if (node.isIntegralNumber()) {
                    return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
                }
                return node.doubleValue();
            case BOOLEAN:
                return node.booleanValue();
            case BINARY:
                try {
                    return node.binaryValue();
                } catch (IOException e) {
                    throw new ProtocolException("bad binary value");
                }
            default:
                return null;
        }
    }

    private static Object special(JsonNode node, DecodeContext refs) {
        int size = node.size();
        if (size == 0 || size > 2) {
            return null;
        }
        String key = node.fieldNames().next();
        if (!key.startsWith("$")) {
            return null;
        }
        JsonNode v = node.get(key);
        switch (key) {
            case JsonForms.BIN:
                if (size != 1 || !v.isTextual()) {
                    throw new ProtocolException("bad " + JsonForms.BIN + " value: expected a base64 string");
                }
                try {
                    return Base64.getDecoder().decode(v.textValue());
                } catch (IllegalArgumentException e) {
                    throw new ProtocolException("bad base64 in " + JsonForms.BIN);
                }
            case JsonForms.TIME:
                try {
                    return Instant.parse(v.asText());
                } catch (DateTimeParseException e) {
                    throw new ProtocolException("bad " + JsonForms.TIME + " value: " + v.asText());
                }
            case JsonForms.SENDER:
                return refs.resolve(new Reference(ReferenceKind.SENDER, id(v)));
            case JsonForms.RECEIVER:
                return refs.resolve(new Reference(ReferenceKind.RECEIVER, id(v)));
            case JsonForms.STREAM:
                String mode = node.path(JsonForms.MODE).asText("");
                ReferenceKind kind = mode.equals("read") ? ReferenceKind.BYTE_STREAM_READ
                        : mode.equals("write") ? ReferenceKind.BYTE_STREAM_WRITE : ReferenceKind.BYTE_STREAM;
                return refs.resolve(new Reference(kind, id(v)));
            default:
                return null;
        }
    }

    private static long id(JsonNode v) {
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new ProtocolException("bad reference id: " + v);
        }
        return v.longValue();
    }
}
