package io.libchan.internal.fallback;

import io.libchan.ErrorReply;
import io.libchan.Settings;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.spi.EncodeContext;

/**
 * The bodies of the fallback's error answers: libchan's error-reply convention
 * {@code {"error": {"type": ..., "message": ...}}} as JSON, so a client reads failures and
 * application errors the same way.
 */
public final class Problems {
    public static final String JSON = "application/json";
    private static final JsonCodec CODEC = new JsonCodec(Settings.defaults());

    private Problems() {
    }

    public static byte[] body(String type, String message) {
        byte[] json = CODEC.encode(ErrorReply.of(type, message), EncodeContext.NONE);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }
}
