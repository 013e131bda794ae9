package io.libchan.codecs.cbor;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.libchan.ProtocolException;
import io.libchan.Settings;
import io.libchan.codecs.LengthPrefixed;
import io.libchan.internal.codec.CodecErrors;
import io.libchan.internal.codec.NoThreadLocals;
import io.libchan.internal.convert.MessageConverter;
import io.libchan.internal.convert.ReferenceWriter;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageFramer;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages as CBOR (RFC 8949) through Jackson's {@code jackson-dataformat-cbor}, each behind a
 * length prefix ({@link LengthPrefixed}). Records and POJOs become maps keyed by property name;
 * binary is a byte string, time and references are tagged values ({@link CborTags}). Decoding
 * walks the tokens itself (Jackson's data binding does not see tags), builds the untyped form
 * with references resolved, checks the nesting depth, then converts to the type asked for.
 * Thread-safe.
 */
final class CborCodec implements MessageCodec {
    private final CBORFactory factory;
    private final ObjectWriter writer;
    private final int maxBytes;
    private final int maxDepth;

    CborCodec(Settings settings) {
        this.maxBytes = settings.maxMessageBytes();
        this.maxDepth = settings.maxNestingDepth();
        this.factory = NoThreadLocals.pooled(CBORFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth + 1) // our own check below names the limit
                        .maxStringLength(maxBytes)
                        .maxDocumentLength(maxBytes)
                        .build())
                .build());
        this.writer = MessageConverter.configure(CBORMapper.builder(factory)).build().writer();
    }

    @Override
    public String name() {
        return "cbor";
    }

    @Override
    public MessageFramer newFramer() {
        return LengthPrefixed.framer("CBOR", maxBytes);
    }

    @Override
    public byte[] encode(Object message, EncodeContext refs) {
        ReferenceWriter special = (value, gen) -> writeSpecial(value, (CBORGenerator) gen, refs);
        Buffer out = new Buffer();
        try {
            writer.withAttribute(ReferenceWriter.ATTRIBUTE, special).writeValue(out, message);
        } catch (IOException e) {
            throw CodecErrors.encode(message, e);
        }
        return LengthPrefixed.seal(out.array(), out.size(), "CBOR", maxBytes);
    }

    private static void writeSpecial(Object value, CBORGenerator gen, EncodeContext refs) throws IOException {
        if (value instanceof Instant) {
            gen.writeTag(CborTags.TIME);
            gen.writeString(value.toString());
            return;
        }
        Reference ref = refs.reference(value);
        gen.writeTag(CborTags.of(ref.kind()));
        gen.writeNumber(ref.id());
    }

    @Override
    public <T> T decode(byte[] buf, int off, int len, Class<T> type, DecodeContext refs) {
        int body = LengthPrefixed.body(buf, off, len, "CBOR", maxBytes);
        Object untyped;
        try (CBORParser p = (CBORParser) factory.createParser(buf, off + LengthPrefixed.PREFIX, body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ProtocolException("empty CBOR message");
            }
            untyped = read(p, first, refs, 0);
            if (p.nextToken() != null) {
                throw new ProtocolException("bytes after the CBOR message");
            }
        } catch (IOException e) {
            RuntimeException own = CodecErrors.ours(e);
            throw own != null ? own : new ProtocolException("malformed CBOR message: " + e.getMessage(), false, e);
        }
        return MessageConverter.convert(untyped, type);
    }

    private Object read(CBORParser p, JsonToken t, DecodeContext refs, int depth) throws IOException {
        int tag = p.getCurrentTag();
        switch (t) {
            case START_OBJECT:
                checkDepth(depth, tag);
                Map<String, Object> map = new LinkedHashMap<>();
                for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                    map.put(key, read(p, p.nextToken(), refs, depth + 1));
                }
                return map;
            case START_ARRAY:
                checkDepth(depth, tag);
                List<Object> list = new ArrayList<>();
                for (JsonToken next = p.nextToken(); next != JsonToken.END_ARRAY; next = p.nextToken()) {
                    if (next == null) {
                        throw new ProtocolException("truncated CBOR array");
                    }
                    list.add(read(p, next, refs, depth + 1));
                }
                return list;
            case VALUE_STRING:
                if (tag == CborTags.TIME) {
                    try {
                        return Instant.parse(p.getText());
                    } catch (DateTimeParseException e) {
                        throw new ProtocolException("bad CBOR time: " + p.getText());
                    }
                }
                untaggedOrUnknown(tag, "a text string");
                return p.getText();
            case VALUE_NUMBER_INT:
                ReferenceKind kind = tag < 0 ? null : CborTags.kind(tag);
                if (kind != null) {
                    if (p.getNumberType() == com.fasterxml.jackson.core.JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                        throw new ProtocolException("bad reference id " + p.getNumberValue());
                    }
                    return refs.resolve(new Reference(kind, p.getLongValue()));
                }
                untaggedOrUnknown(tag, "an integer");
                return p.getNumberType() == com.fasterxml.jackson.core.JsonParser.NumberType.BIG_INTEGER
                        ? p.getBigIntegerValue() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                untaggedOrUnknown(tag, "a float");
                return p.getDoubleValue();
            case VALUE_EMBEDDED_OBJECT: // a byte string
                untaggedOrUnknown(tag, "a byte string");
                return p.getBinaryValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new ProtocolException("unexpected CBOR " + t);
        }
    }

    private void checkDepth(int depth, int tag) {
        if (depth >= maxDepth) {
            throw new ProtocolException("CBOR message nested deeper than " + maxDepth);
        }
        untaggedOrUnknown(tag, "a map or an array");
    }

    /** Our tags belong on one kind of value only; other tags (a peer's own) are ignored. */
    private static void untaggedOrUnknown(int tag, String what) {
        if (tag == CborTags.TIME || (tag >= 0 && CborTags.kind(tag) != null)) {
            throw CborTags.misplaced(tag, what);
        }
    }

    /** A byte array output stream that starts with room for the length prefix and lends its array. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(256);
            count = LengthPrefixed.PREFIX;
        }

        byte[] array() {
            return buf;
        }
    }
}
