package io.libchan;

import java.util.Map;
import java.util.Optional;

/**
 * Helpers for untyped messages and the conventions of PROTOCOL.md: field names are matched
 * ignoring case (Go sends {@code Ret}, jschan {@code ret}), and a message's reply channel is its
 * {@code ret} field.
 */
public final class Messages {
    /** The name of the reply-channel field. */
    public static final String RET = "ret";

    private Messages() {
    }

    /** The value of {@code name} in an untyped message, matching the key ignoring case. */
    public static Optional<Object> field(Object message, String name) {
        if (!(message instanceof Map)) {
            return Optional.empty();
        }
        Map<?, ?> map = (Map<?, ?>) message;
        Object exact = map.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() instanceof String && name.equalsIgnoreCase((String) e.getKey()) && e.getValue() != null) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** The message's reply channel: its {@code ret} field (any case) when that holds a {@link Sender}. */
    public static Optional<Sender> replyChannel(Object message) {
        return field(message, RET).filter(Sender.class::isInstance).map(Sender.class::cast);
    }

    /**
     * Converts a received message (its untyped form, or an in-memory object) to {@code type}, as
     * {@link Receiver#receive(Class)} would: nested channels and streams are kept as they are.
     *
     * @throws MessageTypeException when it does not fit, carrying the message
     */
    public static <T> T convert(Object message, Class<T> type) {
        return io.libchan.internal.convert.MessageConverter.convert(message, type);
    }

    /** True when {@code name} (any case) is {@code true} in the message. */
    public static boolean flag(Object message, String name) {
        return field(message, name).map(Boolean.TRUE::equals).orElse(false);
    }
}
