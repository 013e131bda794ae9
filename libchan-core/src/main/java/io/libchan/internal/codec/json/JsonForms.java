package io.libchan.internal.codec.json;

/**
 * The JSON forms of values JSON has no type for (PROTOCOL.md, "JSON messages"): a single-key
 * object whose key starts with {@code $}. Objects with one such key are reserved.
 * <pre>
 *   {"$sender": 7}                       a Sender (reference id 7)
 *   {"$receiver": 7}                     a Receiver
 *   {"$stream": 7}                       a duplex byte stream; {"$stream": 7, "mode": "read"|"write"} one way
 *   {"$bin": "AQID"}                     binary, base64
 *   {"$time": "2023-11-14T22:13:20.123456789Z"}   a point in time, RFC 3339 in UTC
 * </pre>
 * 64-bit integers are plain JSON numbers (JavaScript peers lose precision past 2^53).
 */
public final class JsonForms {
    public static final String SENDER = "$sender";
    public static final String RECEIVER = "$receiver";
    public static final String STREAM = "$stream";
    public static final String BIN = "$bin";
    public static final String TIME = "$time";
    public static final String MODE = "mode";

    private JsonForms() {
    }
}
