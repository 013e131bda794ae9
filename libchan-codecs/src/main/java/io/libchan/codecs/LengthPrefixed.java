package io.libchan.codecs;

import io.libchan.MessageTooLargeException;
import io.libchan.ProtocolException;
import io.libchan.spi.MessageFramer;

/**
 * The framing of this module's codecs on a channel (PROTOCOL.md section 15): each message is a
 * 4-byte big-endian length, then that many bytes of the codec's format. The length is checked
 * against the limit before a byte of the body is kept, so a hostile prefix costs nothing.
 */
public final class LengthPrefixed {
    /** Bytes of the length prefix. */
    public static final int PREFIX = 4;

    private LengthPrefixed() {
    }

    /** A framer for one stream of prefixed messages whose bodies may be up to {@code maxBytes} long. */
    public static MessageFramer framer(String format, int maxBytes) {
        return new Framer(format, maxBytes);
    }

    /** Writes the length of the body that follows the prefix into {@code message}'s first 4 bytes. */
    public static byte[] seal(byte[] message, int length, String format, int maxBytes) {
        int body = length - PREFIX;
        if (body > maxBytes) {
            throw new MessageTooLargeException(format + " message of " + body + " bytes is over the limit of " + maxBytes);
        }
        message[0] = (byte) (body >>> 24);
        message[1] = (byte) (body >>> 16);
        message[2] = (byte) (body >>> 8);
        message[3] = (byte) body;
        return length == message.length ? message : java.util.Arrays.copyOf(message, length);
    }

    /**
     * The length of the body of the message in {@code buf[off..off+len)}, checked against {@code len}
     * and the limit.
     *
     * @throws ProtocolException when the prefix does not match the bytes
     * @throws MessageTooLargeException when the body is over the limit
     */
    public static int body(byte[] buf, int off, int len, String format, int maxBytes) {
        if (len < PREFIX) {
            throw new ProtocolException("truncated " + format + " message: " + len + " bytes, no length prefix");
        }
        long declared = ((buf[off] & 0xffL) << 24) | ((buf[off + 1] & 0xff) << 16) | ((buf[off + 2] & 0xff) << 8) | (buf[off + 3] & 0xff);
        if (declared > maxBytes) {
            throw new MessageTooLargeException(format + " message declares " + declared + " bytes, over the limit of " + maxBytes);
        }
        if (declared != len - PREFIX) {
            throw new ProtocolException("truncated " + format + " message: its prefix declares " + declared
                    + " bytes, " + (len - PREFIX) + " follow");
        }
        if (declared == 0) {
            throw new ProtocolException("empty " + format + " message");
        }
        return (int) declared;
    }

    private static final class Framer implements MessageFramer {
        private final String format;
        private final int maxBytes;
        private int prefixRead;
        private long declared;
        private long remaining;

        Framer(String format, int maxBytes) {
            this.format = format;
            this.maxBytes = maxBytes;
        }

        @Override
        public int feed(byte[] buf, int off, int len) {
            int i = 0;
            while (prefixRead < PREFIX) {
                if (i == len) {
                    return -1;
                }
                declared = (declared << 8) | (buf[off + i++] & 0xff);
                if (++prefixRead == PREFIX) {
                    if (declared > maxBytes) {
                        throw new MessageTooLargeException(format + " message declares " + declared
                                + " bytes, over the limit of " + maxBytes);
                    }
                    remaining = declared;
                }
            }
            int take = (int) Math.min(remaining, len - i);
            remaining -= take;
            i += take;
            if (remaining > 0) {
                return -1;
            }
            prefixRead = 0;
            declared = 0;
            return i;
        }
    }
}
