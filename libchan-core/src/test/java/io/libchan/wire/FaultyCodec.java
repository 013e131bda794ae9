package io.libchan.wire;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.internal.codec.MessageCodecs;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageCodecProvider;
import io.libchan.spi.MessageFramer;
import java.nio.charset.StandardCharsets;

/**
 * msgpack, except that its framer throws an {@link OutOfMemoryError} when a message carries
 * {@link #MARKER}: an Error on the I/O thread, in the middle of one session's input, as a real
 * allocation failure would be. Registered under {@value #NAME} (test resources).
 */
final class FaultyCodec implements MessageCodec {
    static final String NAME = "faulty-msgpack";
    static final String MARKER = "#fault#";
    private static final byte[] MARK = MARKER.getBytes(StandardCharsets.US_ASCII);
    private final MessageCodec msgpack;

    private FaultyCodec(MessageCodec msgpack) {
        this.msgpack = msgpack;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(Object message, EncodeContext refs) {
        return msgpack.encode(message, refs);
    }

    @Override
    public MessageFramer newFramer() {
        MessageFramer framer = msgpack.newFramer();
        return (buf, off, len) -> {
            if (contains(buf, off, off + len)) {
                throw new OutOfMemoryError("test: a fault while framing a message on the I/O thread");
            }
            return framer.feed(buf, off, len);
        };
    }

    private static boolean contains(byte[] buf, int start, int end) {
        outer:
        for (int i = start; i <= end - MARK.length; i++) {
            for (int j = 0; j < MARK.length; j++) {
                if (buf[i + j] != MARK[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public <T> T decode(byte[] buf, int off, int len, Class<T> type, DecodeContext refs) {
        return msgpack.decode(buf, off, len, type, refs);
    }

    /** Finds the codec by its name. */
    public static final class Provider implements MessageCodecProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public MessageCodec create(Dialect dialect, Settings settings) {
            return new FaultyCodec(MessageCodecs.create(dialect, settings.toBuilder().codec("msgpack").build()));
        }
    }
}
