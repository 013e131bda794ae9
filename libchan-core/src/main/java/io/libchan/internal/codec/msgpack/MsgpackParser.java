package io.libchan.internal.codec.msgpack;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.core.base.ParserMinimalBase;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.msgpack.jackson.dataformat.MessagePackExtensionType;
import org.msgpack.jackson.dataformat.MessagePackReadContext;

/**
 * A Jackson parser over one msgpack message in a byte array, for {@link MsgpackCodec}'s decodes of
 * messages a {@link MsgpackFramer} delimited (so complete and well-formed: lengths, depth and ext
 * shapes were checked). Reused from decode to decode ({@link #reset}); not thread-safe.
 *
 * <p>Why by hand: jackson-dataformat-msgpack's {@code MessagePackParser} builds, per message, an
 * IOContext, a {@code MessageUnpacker} over a copy of the bytes, scratch arrays, a read context per
 * level and a new String per field name: a third of the garbage of a round trip (bench/README.md).
 * This one reads the array where it lies, keeps its contexts, and hands out one String per field
 * name it has seen ({@link FieldNames}). The tokens and values are those of {@code MessagePackParser}
 * 0.9.10, which still reads the messages that arrive in blocks: strings (UTF-8) and field names,
 * ints as INT, LONG or (uint64 past 2^63-1) BIG_INTEGER, float32 and float64 as DOUBLE, bin as an
 * embedded byte[], ext as an embedded {@link MessagePackExtensionType}; a map key that is not a
 * string is named by its text.
 */
final class MsgpackParser extends ParserMinimalBase {
    private enum Type { INT, LONG, DOUBLE, STRING, BYTES, BIG_INT, EXT }

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private ObjectCodec codec;
    private final MsgpackCodec.Resolver resolver = new MsgpackCodec.Resolver();
    private final FieldNames names = new FieldNames();
    private final MessagePackReadContext root = MessagePackReadContext.createRootContext(null);
    private MessagePackReadContext context = root;
    private byte[] buf;
    private int start;
    private int pos;
    private int end;
    private int tokenStart;
    private boolean closed;
    /** Containers open now, and the most ever open in this parser (contexts to clear at release). */
    private int depth;
    private int deepest;

    private Type type;
    private long longValue; // INT and LONG
    private double doubleValue;
    private String stringValue;
    private byte[] bytesValue;
    private BigInteger bigValue;
    private MessagePackExtensionType extValue;

    private io.libchan.internal.codec.ReusedDeserializationContext deserialization;

    MsgpackParser(ObjectCodec codec, int features, StreamReadConstraints constraints) {
        super(features, constraints);
        this.codec = codec;
    }

    /** The reference reader of this parser's decodes (pointed at each decode's references in turn). */
    MsgpackCodec.Resolver resolver() {
        return resolver;
    }

    /** Ready to read {@code buf[off..off+len)}, one message. */
    MsgpackParser reset(byte[] buf, int off, int len) {
        this.buf = buf;
        this.start = off;
        this.pos = off;
        this.end = off + len;
        this.context = root;
        this.closed = false;
        this.depth = 0;
        _currToken = null;
        _lastClearedToken = null;
        return this;
    }

    /**
     * Drops what the last message left: its bytes, values, and the objects databind hung on the
     * contexts (an application's class must not stay reachable from a pooled parser of ours).
     */
    /** The deserialization context of the message being read: kept from message to message (see its javadoc). */
    com.fasterxml.jackson.databind.deser.DefaultDeserializationContext deserializationContext(
            com.fasterxml.jackson.databind.deser.DefaultDeserializationContext blueprint,
            com.fasterxml.jackson.databind.DeserializationConfig config, com.fasterxml.jackson.databind.InjectableValues values) {
        deserialization = io.libchan.internal.codec.ReusedDeserializationContext.take(deserialization, blueprint, config, this, values);
        return deserialization;
    }

    void release() {
        if (deserialization != null && !deserialization.forget()) {
            deserialization = null;
        }
        buf = null;
        stringValue = null;
        bytesValue = null;
        bigValue = null;
        extValue = null;
        _currToken = null;
        root.setCurrentValue(null);
        MessagePackReadContext c = root;
        for (int i = 0; i < deepest; i++) {
            c = c.createChildArrayContext(0); // resets the kept child: its name and value go
        }
        context = root;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        tokenStart = pos;
        boolean keyExpected = context.inObject() && _currToken != JsonToken.FIELD_NAME;
        if (keyExpected || context.inArray()) {
            if (!context.expectMoreValues()) {
                context = context.getParent();
                depth--;
                return _updateToken(keyExpected ? JsonToken.END_OBJECT : JsonToken.END_ARRAY);
            }
        }
        if (pos >= end) {
            if (context.inRoot()) {
                return _updateToken(null); // the message is over
            }
            throw new JsonEOFException(this, null, "Unexpected EOF");
        }
        int b = buf[pos++] & 0xff;
        JsonToken token;
        if (b <= 0x7f) {
            token = integer(b, keyExpected);
        } else if (b <= 0x8f) {
            context = context.createChildObjectContext(b & 0x0f);
            opened();
            token = JsonToken.START_OBJECT;
        } else if (b <= 0x9f) {
            context = context.createChildArrayContext(b & 0x0f);
            opened();
            token = JsonToken.START_ARRAY;
        } else if (b <= 0xbf) {
            token = string(b & 0x1f, keyExpected);
        } else if (b >= 0xe0) {
            token = integer((byte) b, keyExpected);
        } else {
            token = typed(b, keyExpected);
        }
        return _updateToken(token);
    }

    private JsonToken typed(int b, boolean keyExpected) throws IOException {
        switch (b) {
            case 0xc0: return JsonToken.VALUE_NULL;
            case 0xc2: return bool(false, keyExpected);
            case 0xc3: return bool(true, keyExpected);
            case 0xc4: return binary(readLength(1), keyExpected);
            case 0xc5: return binary(readLength(2), keyExpected);
            case 0xc6: return binary(readLength(4), keyExpected);
            case 0xc7: return ext(readLength(1), keyExpected);
            case 0xc8: return ext(readLength(2), keyExpected);
            case 0xc9: return ext(readLength(4), keyExpected);
            case 0xca: return floating(Float.intBitsToFloat((int) read(4)), keyExpected);
            case 0xcb: return floating(Double.longBitsToDouble(read(8)), keyExpected);
            case 0xcc: return integer(read(1), keyExpected);
            case 0xcd: return integer(read(2), keyExpected);
            case 0xce: return integer(read(4), keyExpected);
            case 0xcf: return uint64(read(8), keyExpected);
            case 0xd0: return integer((byte) read(1), keyExpected);
            case 0xd1: return integer((short) read(2), keyExpected);
            case 0xd2: return integer((int) read(4), keyExpected);
            case 0xd3: return integer(read(8), keyExpected);
            case 0xd4: return ext(1, keyExpected);
            case 0xd5: return ext(2, keyExpected);
            case 0xd6: return ext(4, keyExpected);
            case 0xd7: return ext(8, keyExpected);
            case 0xd8: return ext(16, keyExpected);
            case 0xd9: return string(readLength(1), keyExpected);
            case 0xda: return string(readLength(2), keyExpected);
            case 0xdb: return string(readLength(4), keyExpected);
            case 0xdc:
                context = context.createChildArrayContext(readLength(2));
                opened();
                return JsonToken.START_ARRAY;
            case 0xdd:
                context = context.createChildArrayContext(readLength(4));
                opened();
                return JsonToken.START_ARRAY;
            case 0xde:
                context = context.createChildObjectContext(readLength(2));
                opened();
                return JsonToken.START_OBJECT;
            case 0xdf:
                context = context.createChildObjectContext(readLength(4));
                opened();
                return JsonToken.START_OBJECT;
            default: // 0xc1, which the framer refuses before a parser sees it
                throw _constructError("invalid msgpack byte 0xc1 at offset " + (pos - 1 - start));
        }
    }

    private void opened() {
        if (++depth > deepest) {
            deepest = depth;
        }
    }

    // ---- values; in a key's place each becomes the name of a FIELD_NAME

    private JsonToken name(String name) throws IOException {
        context.setCurrentName(name);
        return JsonToken.FIELD_NAME;
    }

    private JsonToken string(int len, boolean keyExpected) throws IOException {
        need(len);
        type = Type.STRING;
        if (keyExpected) {
            stringValue = names.get(buf, pos, len);
            pos += len;
            return name(stringValue);
        }
        stringValue = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return JsonToken.VALUE_STRING;
    }

    private JsonToken integer(long v, boolean keyExpected) throws IOException {
        type = v == (int) v ? Type.INT : Type.LONG;
        longValue = v;
        return keyExpected ? name(Long.toString(v)) : JsonToken.VALUE_NUMBER_INT;
    }

    private JsonToken uint64(long bits, boolean keyExpected) throws IOException {
        if (bits >= 0) {
            return integer(bits, keyExpected);
        }
        type = Type.BIG_INT;
        bigValue = BigInteger.valueOf(bits).add(TWO_64);
        return keyExpected ? name(bigValue.toString()) : JsonToken.VALUE_NUMBER_INT;
    }

    private JsonToken floating(double v, boolean keyExpected) throws IOException {
        type = Type.DOUBLE;
        doubleValue = v;
        return keyExpected ? name(String.valueOf(v)) : JsonToken.VALUE_NUMBER_FLOAT;
    }

    private JsonToken bool(boolean v, boolean keyExpected) throws IOException {
        if (keyExpected) {
            return name(Boolean.toString(v));
        }
        return v ? JsonToken.VALUE_TRUE : JsonToken.VALUE_FALSE;
    }

    private JsonToken binary(int len, boolean keyExpected) throws IOException {
        need(len);
        type = Type.BYTES;
        bytesValue = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return keyExpected ? name(new String(bytesValue, StandardCharsets.UTF_8)) : JsonToken.VALUE_EMBEDDED_OBJECT;
    }

    private JsonToken ext(int len, boolean keyExpected) throws IOException {
        need(1 + len);
        byte extType = buf[pos++];
        type = Type.EXT;
        extValue = new MessagePackExtensionType(extType, Arrays.copyOfRange(buf, pos, pos + len));
        pos += len;
        return keyExpected ? name(extValue.toString()) : JsonToken.VALUE_EMBEDDED_OBJECT;
    }

    /** An unsigned big-endian length of {@code n} bytes, refused past what an int holds. */
    private int readLength(int n) throws IOException {
        long v = read(n);
        if (v > Integer.MAX_VALUE) {
            throw _constructError("msgpack length " + v + " at offset " + (tokenStart - start) + " is too large");
        }
        return (int) v;
    }

    /** {@code n} bytes big-endian, unsigned for n < 8. */
    private long read(int n) throws IOException {
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        return v;
    }

    private void need(int n) throws IOException {
        if (end - pos < n) {
            throw new JsonEOFException(this, null, "Unexpected EOF: " + n + " bytes needed at offset " + (pos - start));
        }
    }

    // ---- accessors, as MessagePackParser answers them

    @Override
    public String getText() {
        if (_currToken == null) {
            return null;
        }
        switch (_currToken) {
            case FIELD_NAME:
                return context.getCurrentName();
            case START_OBJECT: case END_OBJECT: case START_ARRAY: case END_ARRAY:
            case VALUE_NULL: case VALUE_TRUE: case VALUE_FALSE:
                return _currToken.asString();
            default:
                break;
        }
        switch (type) {
            case STRING: return stringValue;
            case BYTES: return new String(bytesValue, StandardCharsets.UTF_8);
            case INT: case LONG: return Long.toString(longValue);
            case DOUBLE: return String.valueOf(doubleValue);
            case BIG_INT: return bigValue.toString();
            default: return extValue.toString();
        }
    }

    @Override
    public char[] getTextCharacters() {
        String text = getText();
        return text == null ? null : text.toCharArray();
    }

    @Override
    public boolean hasTextCharacters() {
        return false;
    }

    @Override
    public int getTextLength() {
        String text = getText();
        return text == null ? 0 : text.length();
    }

    @Override
    public int getTextOffset() {
        return 0;
    }

    @Override
    public byte[] getBinaryValue(Base64Variant variant) throws IOException {
        switch (type) {
            case BYTES: return bytesValue;
            case STRING: return stringValue.getBytes(StandardCharsets.UTF_8);
            case EXT: return extValue.getData();
            default: throw _constructError("current token (" + _currToken + ") has no binary value");
        }
    }

    @Override
    public Object getEmbeddedObject() {
        if (_currToken != JsonToken.VALUE_EMBEDDED_OBJECT) {
            return null;
        }
        return type == Type.BYTES ? bytesValue : extValue;
    }

    @Override
    public NumberType getNumberType() throws IOException {
        switch (number()) {
            case INT: return NumberType.INT;
            case LONG: return NumberType.LONG;
            case DOUBLE: return NumberType.DOUBLE;
            default: return NumberType.BIG_INTEGER;
        }
    }

    @Override
    public Number getNumberValue() throws IOException {
        switch (number()) {
            case INT: return (int) longValue;
            case LONG: return longValue;
            case DOUBLE: return doubleValue;
            default: return bigValue;
        }
    }

    @Override
    public int getIntValue() throws IOException {
        switch (number()) {
            case INT: case LONG: return (int) longValue;
            case DOUBLE: return (int) doubleValue;
            default: return bigValue.intValue();
        }
    }

    @Override
    public long getLongValue() throws IOException {
        switch (number()) {
            case INT: case LONG: return longValue;
            case DOUBLE: return (long) doubleValue;
            default: return bigValue.longValue();
        }
    }

    @Override
    public BigInteger getBigIntegerValue() throws IOException {
        switch (number()) {
            case INT: case LONG: return BigInteger.valueOf(longValue);
            case DOUBLE: return BigInteger.valueOf((long) doubleValue);
            default: return bigValue;
        }
    }

    @Override
    public float getFloatValue() throws IOException {
        switch (number()) {
            case INT: case LONG: return (float) longValue;
            case DOUBLE: return (float) doubleValue;
            default: return bigValue.floatValue();
        }
    }

    @Override
    public double getDoubleValue() throws IOException {
        switch (number()) {
            case INT: case LONG: return (double) longValue;
            case DOUBLE: return doubleValue;
            default: return bigValue.doubleValue();
        }
    }

    @Override
    public BigDecimal getDecimalValue() throws IOException {
        switch (number()) {
            case INT: case LONG: return BigDecimal.valueOf(longValue);
            case DOUBLE: return BigDecimal.valueOf(doubleValue);
            default: return new BigDecimal(bigValue);
        }
    }

    private Type number() throws IOException {
        if (type != Type.INT && type != Type.LONG && type != Type.DOUBLE && type != Type.BIG_INT) {
            throw _constructError("current token (" + _currToken + ") is not numeric");
        }
        return type;
    }

    // ---- context and location

    @Override
    public JsonStreamContext getParsingContext() {
        return context;
    }

    @Override
    public String currentName() {
        if (_currToken == JsonToken.START_OBJECT || _currToken == JsonToken.START_ARRAY) {
            return context.getParent().getCurrentName();
        }
        return context.getCurrentName();
    }

    @Override
    @Deprecated
    public String getCurrentName() {
        return currentName();
    }

    @Override
    public void overrideCurrentName(String name) {
        MessagePackReadContext ctxt = context;
        if (_currToken == JsonToken.START_OBJECT || _currToken == JsonToken.START_ARRAY) {
            ctxt = ctxt.getParent();
        }
        try {
            ctxt.setCurrentName(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public JsonLocation currentTokenLocation() {
        return new JsonLocation(ContentReference.rawReference(buf), tokenStart - start, -1, -1);
    }

    @Override
    public JsonLocation currentLocation() {
        return new JsonLocation(ContentReference.rawReference(buf), pos - start, -1, -1);
    }

    @Override
    @Deprecated
    public JsonLocation getTokenLocation() {
        return currentTokenLocation();
    }

    @Override
    @Deprecated
    public JsonLocation getCurrentLocation() {
        return currentLocation();
    }

    // ---- the rest of JsonParser

    @Override
    protected void _handleEOF() {
        // a framed message is whole: nothing is left open at its end
    }

    @Override
    public ObjectCodec getCodec() {
        return codec;
    }

    @Override
    public void setCodec(ObjectCodec codec) {
        this.codec = codec;
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }
}
