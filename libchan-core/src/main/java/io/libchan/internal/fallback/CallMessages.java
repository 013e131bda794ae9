package io.libchan.internal.fallback;

import io.libchan.MessageTooLargeException;
import io.libchan.ProtocolException;
import io.libchan.Messages;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.spi.DecodeContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the JSON body of a call into the message the application receives. The body must be one
 * JSON object, must not name a {@code ret} field (the server adds it: the call's reply channel),
 * and cannot hold channel or byte-stream references: nothing could carry them over HTTP/1.1.
 */
final class CallMessages {
    private static final DecodeContext NO_REFERENCES = ref -> {
        throw new ProtocolException("the HTTP/1.1 fallback cannot carry channels or byte streams"
                + " ($sender, $receiver, $stream); use HTTP/2 or WebSocket");
    };

    private CallMessages() {
    }

    /** The message as a mutable map, ready for its {@code ret}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(JsonCodec codec, byte[] body) throws CallFailure {
        Object message;
        try {
            message = codec.decode(body, 0, body.length, Object.class, NO_REFERENCES);
        } catch (MessageTooLargeException e) {
            throw new CallFailure(413, "too-large", e.getMessage());
        } catch (ProtocolException e) {
            throw new CallFailure(400, "bad-request", e.getMessage());
        }
        if (!(message instanceof Map)) {
            throw new CallFailure(400, "bad-request", "the body of a call must be a JSON object");
        }
        Map<String, Object> map = new LinkedHashMap<>((Map<String, Object>) message);
        if (Messages.field(map, Messages.RET).isPresent() || map.keySet().stream().anyMatch(Messages.RET::equalsIgnoreCase)) {
            throw new CallFailure(400, "bad-request", "'ret' is reserved: the server adds the call's reply channel");
        }
        return map;
    }
}
