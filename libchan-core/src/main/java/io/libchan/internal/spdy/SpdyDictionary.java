package io.libchan.internal.spdy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The zlib preset dictionary of SPDY/3 (draft-mbelshe-httpbis-spdy-00, section 2.6.10.1):
 * 1423 bytes, Adler-32 0xe3c6a7c2. Spelled out here as the spec's structure (length-prefixed
 * header names and common values, then a run of common response fragments) rather than as a
 * hex dump, so a typo shows; the checksum test guards every byte.
 */
final class SpdyDictionary {
    /** Adler-32 of the dictionary, as it appears in the zlib header of the first block. */
    static final int ADLER32 = 0xe3c6a7c2;
    static final int LENGTH = 1423;

    private static final String[] WORDS = {
        "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset",
        "accept-encoding", "accept-language", "accept-ranges", "age", "allow", "authorization",
        "cache-control", "connection", "content-base", "content-encoding", "content-language",
        "content-length", "content-location", "content-md5", "content-range", "content-type",
        "date", "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since",
        "if-none-match", "if-range", "if-unmodified-since", "last-modified", "location",
        "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range", "referer",
        "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent",
        "vary", "via", "warning", "www-authenticate", "method", "get", "status", "200 OK",
        "version", "HTTP/1.1", "url", "public", "set-cookie", "keep-alive", "origin",
    };

    private static final String TAIL = "100101201202205206300302303304305306307402405406407408409"
            + "410411412413414415416417502504505"
            + "203 Non-Authoritative Information204 No Content301 Moved Permanently"
            + "400 Bad Request401 Unauthorized403 Forbidden404 Not Found"
            + "500 Internal Server Error501 Not Implemented503 Service Unavailable"
            + "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00"
            + " Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
            + "chunked,text/html,image/png,image/jpg,image/gif,application/xml,"
            + "application/xhtml+xml,text/plain,text/javascript,public"
            + "privatemax-age=gzip,deflate,sdch"
            + "charset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

    private static final byte[] BYTES = build();

    private SpdyDictionary() {
    }

    private static byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(LENGTH);
        for (String word : WORDS) {
            byte[] b = word.getBytes(StandardCharsets.US_ASCII);
            out.write(0);
            out.write(0);
            out.write(0);
            out.write(b.length); // all words are shorter than 256 bytes
            out.writeBytes(b);
        }
        out.writeBytes(TAIL.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** A copy of the dictionary bytes. */
    static byte[] copy() {
        return BYTES.clone();
    }

    static void applyTo(Deflater deflater) {
        deflater.setDictionary(BYTES);
    }

    /** @throws IllegalArgumentException if the stream was compressed with another dictionary */
    static void applyTo(Inflater inflater) {
        inflater.setDictionary(BYTES);
    }
}
