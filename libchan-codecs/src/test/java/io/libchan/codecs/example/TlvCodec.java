package io.libchan.codecs.example;

import io.libchan.ByteStream;
import io.libchan.Dialect;
import io.libchan.MessageTooLargeException;
import io.libchan.Messages;
import io.libchan.ProtocolException;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageCodecProvider;
import io.libchan.spi.MessageFramer;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worked example of the codec SPI (libchan-codecs/README.md, "Writing a codec"): a whole
 * session codec in one file, written against libchan's public API and the JDK only. Its format,
 * {@code tlv}, is a type byte and a value: {@code M} map (count, then key and value pairs),
 * {@code L} list (count, values), {@code S} string (length, UTF-8), {@code I} long, {@code G} big
 * integer (length, two's complement), {@code D} double, {@code T}/{@code F} booleans, {@code N}
 * null, {@code X} binary (length, bytes), {@code W} time (seconds, nanoseconds), {@code R}
 * reference (kind ordinal, id). Counts and lengths are 4-byte big-endian ints, numbers as
 * {@link DataOutputStream} writes them. On a channel each message is a 4-byte length and its bytes.
 * Registered in {@code META-INF/services/io.libchan.spi.MessageCodecProvider} as
 * {@code io.libchan.codecs.example.TlvCodec$Provider}; a client asks for it with {@code ?codec=tlv}.
 */
public final class TlvCodec implements MessageCodec {
    private final int maxBytes;
    private final int maxDepth;

    TlvCodec(Settings settings) {
        this.maxBytes = settings.maxMessageBytes();
        this.maxDepth = settings.maxNestingDepth();
    }

    /** Found by {@link java.util.ServiceLoader}: a public class with a public no-argument constructor. */
    public static final class Provider implements MessageCodecProvider {
        @Override
        public String name() {
            return "tlv";
        }

        @Override
        public MessageCodec create(Dialect dialect, Settings settings) {
            return new TlvCodec(settings);
        }
    }

    @Override
    public String name() {
        return "tlv";
    }

    // ------------------------------------------------------------------ encoding

    @Override
    public byte[] encode(Object message, EncodeContext refs) {
        // Messages.convert turns records and POJOs into maps and lists, as every codec sees them,
        // and leaves channels, streams and time in place for this codec to write
        Object plain = Messages.convert(Collections.singletonMap("m", message), LinkedHashMap.class).get("m");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0); // the length, patched below
            write(plain, out, refs);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
        byte[] result = bytes.toByteArray();
        int length = result.length - 4;
        if (length > maxBytes) {
            throw new MessageTooLargeException("tlv message of " + length + " bytes is over the limit of " + maxBytes);
        }
        result[0] = (byte) (length >>> 24);
        result[1] = (byte) (length >>> 16);
        result[2] = (byte) (length >>> 8);
        result[3] = (byte) length;
        return result;
    }

    private static void write(Object v, DataOutputStream out, EncodeContext refs) throws IOException {
        if (v == null) {
            out.writeByte('N');
        } else if (v instanceof Map) {
            out.writeByte('M');
            out.writeInt(((Map<?, ?>) v).size());
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                writeString(String.valueOf(e.getKey()), out);
                write(e.getValue(), out, refs);
            }
        } else if (v instanceof List) {
            out.writeByte('L');
            out.writeInt(((List<?>) v).size());
            for (Object item : (List<?>) v) {
                write(item, out, refs);
            }
        } else if (v instanceof String) {
            out.writeByte('S');
            writeString((String) v, out);
        } else if (v instanceof BigInteger) {
            byte[] b = ((BigInteger) v).toByteArray();
            out.writeByte('G');
            out.writeInt(b.length);
            out.write(b);
        } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            out.writeByte('D');
            out.writeDouble(((Number) v).doubleValue());
        } else if (v instanceof Number) {
            out.writeByte('I');
            out.writeLong(((Number) v).longValue());
        } else if (v instanceof Boolean) {
            out.writeByte((Boolean) v ? 'T' : 'F');
        } else if (v instanceof byte[]) {
            out.writeByte('X');
            out.writeInt(((byte[]) v).length);
            out.write((byte[]) v);
        } else if (v instanceof Instant) {
            out.writeByte('W');
            out.writeLong(((Instant) v).getEpochSecond());
            out.writeInt(((Instant) v).getNano());
        } else if (isReference(v)) {
            // the session opens the stream now, before the message leaves, and says how to name it
            Reference ref = refs.reference(v);
            out.writeByte('R');
            out.writeByte(ref.kind().ordinal());
            out.writeLong(ref.id());
        } else {
            throw new io.libchan.MessageTypeException("tlv cannot write a " + v.getClass().getName(), v, null);
        }
    }

    private static boolean isReference(Object v) {
        return v instanceof Sender || v instanceof Receiver || v instanceof ByteStream || v instanceof InputStream
                || v instanceof OutputStream || v instanceof java.io.FileDescriptor || v instanceof java.net.Socket;
    }

    private static void writeString(String s, DataOutputStream out) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    // ------------------------------------------------------------------ framing

    /** Finds the end of each message from its length; refuses a length over the limit before keeping a byte of it. */
    @Override
    public MessageFramer newFramer() {
        return new MessageFramer() {
            private int prefixRead;
            private long remaining;

            @Override
            public int feed(byte[] buf, int off, int len) {
                int i = 0;
                while (prefixRead < 4) {
                    if (i == len) {
                        return -1;
                    }
                    remaining = (remaining << 8) | (buf[off + i++] & 0xff);
                    if (++prefixRead == 4 && remaining > maxBytes) {
                        throw new MessageTooLargeException("tlv message declares " + remaining + " bytes, over " + maxBytes);
                    }
                }
                int take = (int) Math.min(remaining, len - i);
                remaining -= take;
                if (remaining > 0) {
                    return -1;
                }
                prefixRead = 0;
                return i + take;
            }
        };
    }

    // ------------------------------------------------------------------ decoding

    @Override
    public <T> T decode(byte[] buf, int off, int len, Class<T> type, DecodeContext refs) {
        if (len < 4 || readInt(buf, off) != len - 4) {
            throw new ProtocolException("tlv message whose length prefix does not match its " + len + " bytes");
        }
        if (len - 4 > maxBytes) {
            throw new MessageTooLargeException("tlv message of " + (len - 4) + " bytes is over " + maxBytes);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(buf, off + 4, len - 4));
        Object untyped;
        try {
            untyped = read(in, refs, 0);
            if (in.available() > 0) {
                throw new ProtocolException("bytes after the tlv message");
            }
        } catch (EOFException e) {
            throw new ProtocolException("truncated tlv message");
        } catch (IOException e) {
            throw new ProtocolException("malformed tlv message: " + e.getMessage());
        }
        // the untyped form (maps, lists, live channels and streams) becomes the type asked for as
        // with any codec; a mismatch is a MessageTypeException carrying the untyped message
        return Messages.convert(untyped, type);
    }

    private Object read(DataInputStream in, DecodeContext refs, int depth) throws IOException {
        int type = in.readUnsignedByte();
        switch (type) {
            case 'M': {
                int n = count(in, depth);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    String key = readString(in);
                    map.put(key, read(in, refs, depth + 1));
                }
                return map;
            }
            case 'L': {
                int n = count(in, depth);
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read(in, refs, depth + 1));
                }
                return list;
            }
            case 'S': return readString(in);
            case 'I': return in.readLong();
            case 'G': return new BigInteger(bytes(in));
            case 'D': return in.readDouble();
            case 'T': return Boolean.TRUE;
            case 'F': return Boolean.FALSE;
            case 'N': return null;
            case 'X': return bytes(in);
            case 'W': return Instant.ofEpochSecond(in.readLong(), in.readInt());
            case 'R': {
                int kind = in.readUnsignedByte();
                if (kind >= ReferenceKind.values().length) {
                    throw new ProtocolException("unknown reference kind " + kind);
                }
                // the session finds (or waits, bounded, for) the stream the peer opened for it
                return refs.resolve(new Reference(ReferenceKind.values()[kind], in.readLong()));
            }
            default:
                throw new ProtocolException("unknown tlv type byte " + type);
        }
    }

    /** A container's count: within the depth limit, and no more entries than bytes left (each takes one at least). */
    private int count(DataInputStream in, int depth) throws IOException {
        if (depth >= maxDepth) {
            throw new ProtocolException("tlv message nested deeper than " + maxDepth);
        }
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new ProtocolException("tlv count " + n + " past the end of the message");
        }
        return n;
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new ProtocolException("tlv length " + n + " past the end of the message");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
