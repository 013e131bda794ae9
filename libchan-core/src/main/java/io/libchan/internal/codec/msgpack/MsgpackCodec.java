package io.libchan.internal.codec.msgpack;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.libchan.Dialect;
import io.libchan.MessageTooLargeException;
import io.libchan.ProtocolException;
import io.libchan.Settings;
import io.libchan.internal.codec.CodecErrors;
import io.libchan.internal.codec.LentEncoding;
import io.libchan.internal.convert.MessageConverter;
import io.libchan.internal.convert.ReferenceReader;
import io.libchan.internal.convert.ReferenceWriter;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import io.libchan.internal.codec.BlocksInputStream;
import io.libchan.spi.MessageFramer;
import io.libchan.spi.Reference;
import java.io.IOException;
import java.time.Instant;
import org.msgpack.jackson.dataformat.MessagePackExtensionType;

/**
 * The libchan wire encoding: msgpack through Jackson databind, written by {@link MsgpackGenerator}
 * and read by {@link MsgpackParser}, byte for byte and token for token as
 * {@code jackson-dataformat-msgpack} writes and reads it (whose parser still reads a large message
 * that arrived in blocks), with
 * nested references and time as ext values of the chosen {@link Dialect} (see {@link ExtCodes}).
 * Records and POJOs become maps keyed by property name. Decoding accepts every msgpack integer
 * form, 4- and 8-byte ids and any key order, and only ever builds the type the receiver asked
 * for (no polymorphic typing). Every input is first checked by a {@link MsgpackFramer}, so size
 * and depth limits hold before Jackson sees a byte. Thread-safe.
 */
public final class MsgpackCodec implements MessageCodec, LentEncoding.Lending {
    // the factory's parser reads messages kept in blocks; the rest go through our own generator and parser (their javadoc says why)
    private static final ObjectMapper MAPPER = MessageConverter.configure(JsonMapper.builder(io.libchan.internal.codec.NoThreadLocals.msgpack(false))).build();
    private static final Pool<MsgpackGenerator> GENERATORS = new Pool<>(() -> new MsgpackGenerator(MAPPER));
    private static final Pool<MsgpackParser> PARSERS = new Pool<>(() -> new MsgpackParser(MAPPER,
            MAPPER.getFactory().getParserFeatures(), MAPPER.getFactory().streamReadConstraints()));
    private static final io.libchan.internal.codec.ReaderCache READERS = new io.libchan.internal.codec.ReaderCache(MAPPER, ContextKeepingReader::new);

    private final Dialect dialect;
    private final int maxBytes;
    private final int maxDepth;

    public MsgpackCodec(Dialect dialect, Settings settings) {
        this.dialect = dialect.wire();
        this.maxBytes = settings.maxMessageBytes();
        this.maxDepth = settings.maxNestingDepth();
    }

    public Dialect dialect() {
        return dialect;
    }

    /** In the head dialect: a traced implicit reference is ext 4 with 30 bytes (ExtCodes). */
    @Override
    public boolean carriesTraceparents() {
        return dialect == Dialect.HEAD;
    }

    @Override
    public String name() {
        return "msgpack";
    }

    @Override
    public MessageFramer newFramer() {
        return new MsgpackFramer(maxBytes, maxDepth, dialect);
    }

    @Override
    public byte[] encode(Object message, EncodeContext refs) {
        MsgpackGenerator gen = encodeLent(message, refs);
        byte[] bytes = gen.copy();
        gen.giveBack();
        return bytes;
    }

    /** The message in the pooled generator's own buffer: no copy of its exact size (see {@link LentEncoding}). */
    @Override
    public MsgpackGenerator encodeLent(Object message, EncodeContext refs) {
        ReferenceWriter outer = ReferenceWriter.CURRENT.get();
        ReferenceWriter.CURRENT.set(SPECIAL);
        MsgpackGenerator gen = GENERATORS.lend();
        boolean lent = false;
        try {
            gen.writingFor(this, refs);
            // the references of a call travel in ReferenceWriter/Reader.CURRENT
            gen.serializers(MAPPER).write(gen, message);
            if (gen.length() > maxBytes) {
                throw new MessageTooLargeException("message of " + gen.length() + " bytes is over the limit of " + maxBytes);
            }
            lent = true;
            return gen;
        } catch (IOException e) {
            throw CodecErrors.encode(message, e);
        } finally {
            gen.writingFor(null, null); // a pooled generator holds no session
            if (!lent) {
                gen.giveBack();
            }
            ReferenceWriter.CURRENT.set(outer);
        }
    }

    /** Takes a generator back after its lent message was written. */
    static void giveBack(MsgpackGenerator gen) {
        if (gen.reset()) {
            GENERATORS.giveBack(gen);
        }
    }

    /**
     * Writes a reference or a time through the codec and references of the encode in progress,
     * which the generator carries: one writer for every encode, so none is made per message.
     */
    private static final ReferenceWriter SPECIAL = (value, gen) -> {
        MsgpackGenerator mp = (MsgpackGenerator) gen;
        mp.codec().writeSpecial(value, mp, mp.refs());
    };

    private void writeSpecial(Object value, JsonGenerator gen, EncodeContext refs) throws IOException {
        MsgpackGenerator mp = (MsgpackGenerator) gen;
        if (value instanceof Instant) {
            Instant t = (Instant) value;
            if (dialect == Dialect.V0_1_0) {
                gen.writeString(t.toString()); // v0.1.0 peers have no time type
            } else {
                mp.writeExtension(ExtCodes.HEAD_TIME, ExtCodes.time(t));
            }
            return;
        }
        Reference ref = refs.reference(value);
        mp.writeExtension(ExtCodes.type(dialect, ref.kind()), ExtCodes.payload(dialect, ref));
    }

    @Override
    public <T> T decode(byte[] buf, int off, int len, Class<T> type, DecodeContext refs) {
        int taken = new MsgpackFramer(maxBytes, maxDepth, dialect).feed(buf, off, len);
        if (taken < 0) {
            throw new ProtocolException("truncated msgpack message (" + len + " bytes)");
        }
        if (taken != len) {
            throw new ProtocolException("trailing bytes after a msgpack message: " + (len - taken));
        }
        return decodeFramed(buf, off, len, type, refs);
    }

    /** Bytes a {@link MsgpackFramer} of this codec delimited: size and depth were checked as they arrived. */
    @Override
    public <T> T decodeFramed(byte[] buf, int off, int len, Class<T> type, DecodeContext refs) {
        MsgpackParser parser = PARSERS.lend().reset(buf, off, len);
        Resolver reader = parser.resolver();
        reader.codec = this;
        reader.refs = refs;
        ReferenceReader outer = ReferenceReader.CURRENT.get();
        ReferenceReader.CURRENT.set(reader);
        try {
            return READERS.get(type).readValue(parser);
        } catch (IOException e) {
            throw CodecErrors.decode(e, type, () -> decodeFramed(buf, off, len, Object.class, refs));
        } finally {
            reader.codec = null; // a pooled parser holds no session
            reader.refs = null;
            parser.release();
            PARSERS.giveBack(parser);
            ReferenceReader.CURRENT.set(outer);
        }
    }

    /** A message that arrived in blocks is read where it lies: no contiguous copy of a large message is made. */
    @Override
    public <T> T decodeFramed(byte[][] blocks, int length, Class<T> type, DecodeContext refs) {
        ReferenceReader reader = embedded -> resolve(embedded, refs);
        ReferenceReader outer = ReferenceReader.CURRENT.get();
        ReferenceReader.CURRENT.set(reader);
        try {
            return READERS.get(type).readValue(new BlocksInputStream(blocks, length));
        } catch (IOException e) {
            throw CodecErrors.decode(e, type, () -> decodeFramed(blocks, length, Object.class, refs));
        } finally {
            ReferenceReader.CURRENT.set(outer);
        }
    }

    private Object resolve(Object embedded, DecodeContext refs) {
        if (!(embedded instanceof MessagePackExtensionType)) {
            return embedded; // bin: byte[]
        }
        MessagePackExtensionType ext = (MessagePackExtensionType) embedded;
        byte type = ext.getType();
        if (type == ExtCodes.MSGPACK_TIMESTAMP || (type == ExtCodes.HEAD_TIME && dialect == Dialect.HEAD)) {
            return ExtCodes.readTime(type, ext.getData());
        }
        Reference ref = ExtCodes.reference(dialect, type, ext.getData());
        if (ref == null) {
            throw new ProtocolException("unknown msgpack ext type " + type + " in the " + dialect.id() + " dialect");
        }
        return refs.resolve(ref);
    }

    /** The reference reader a pooled parser carries, pointed at the codec and references of each decode in turn. */
    static final class Resolver implements ReferenceReader {
        private MsgpackCodec codec;
        private DecodeContext refs;

        @Override
        public Object resolve(Object embedded) {
            return codec.resolve(embedded, refs);
        }
    }
}
