package io.libchan.internal.session;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Drops the HTTP/1.1 response head that node-spdy writes first on a stream pushed to it, when the
 * jschan on top answers on that stream (PROTOCOL.md section 6): the stream's first bytes, if they
 * begin with {@code "HTTP/1.1 "}, up to and including the first CR LF CR LF, whatever DATA frames
 * (or pieces of frames) carry them. Bytes that do not begin so are all data. One per stream; not
 * thread-safe (the stream serialises its inbound bytes).
 */
final class HttpHeadSkipper {
    private static final byte[] PREFIX = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = {'\r', '\n', '\r', '\n'};

    /** Bytes of {@link #PREFIX} seen; held back until it is known whether they are a head. */
    private int prefixMatched;
    private int endMatched;
    private boolean done;
    private int dropped;
    private byte[] released;

    /**
     * Takes the next inbound piece; returns how many of its first bytes are not data. Afterwards
     * {@link #dropped()} and {@link #released()} say what else became known.
     */
    int feed(byte[] data, int off, int len) {
        dropped = 0;
        released = null;
        int p = off;
        int end = off + len;
        if (prefixMatched < PREFIX.length) {
            int heldBefore = prefixMatched;
            while (p < end && prefixMatched < PREFIX.length) {
                if (data[p] != PREFIX[prefixMatched]) {
                    done = true;
                    released = heldBefore > 0 ? Arrays.copyOf(PREFIX, heldBefore) : null;
                    return 0;
                }
                prefixMatched++;
                p++;
            }
            if (prefixMatched < PREFIX.length) {
                return len; // all of it may still be the head's start: held
            }
            dropped = heldBefore;
        }
        while (p < end && !done) {
            byte c = data[p++];
            endMatched = c == END[endMatched] ? endMatched + 1 : c == '\r' ? 1 : 0;
            done = endMatched == END.length;
        }
        dropped += p - off;
        return p - off;
    }

    /** Bytes the last {@link #feed} found to be head (the caller counts them as consumed). */
    int dropped() {
        return dropped;
    }

    /** Bytes held by earlier feeds that the last one found to be data, to deliver first; or null. */
    byte[] released() {
        return released;
    }

    /** True once the head is over (or there was none): the skipper has no more to do. */
    boolean done() {
        return done;
    }

    /** The stream ended: bytes still held are data after all (null when none). */
    byte[] finish() {
        done = true;
        return prefixMatched > 0 && prefixMatched < PREFIX.length ? Arrays.copyOf(PREFIX, prefixMatched) : null;
    }
}
