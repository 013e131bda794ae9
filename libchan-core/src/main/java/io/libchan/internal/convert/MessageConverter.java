package io.libchan.internal.convert;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.libchan.MessageTypeException;

/**
 * Converts a message object into the type a receiver asked for, in memory: the same object when
 * it already has that type (Go's pipe hands over the object itself), otherwise through Jackson
 * with nested channels, streams and time passed through untouched. Thread-safe.
 */
public final class MessageConverter {
    private static final ObjectMapper MAPPER = configure(JsonMapper.builder(io.libchan.internal.codec.NoThreadLocals.json())).build();

    private MessageConverter() {
    }

    /**
     * The settings every libchan mapper shares: no default typing, unknown fields ignored (as Go
     * does), property names matched ignoring case (Go sends {@code Ret}, jschan {@code ret}).
     */
    public static <B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<?, ?>> B configure(B builder) {
        builder.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_LONG_FOR_INTS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addModule(new LibchanModule());
        return builder;
    }

    /** Converts {@code message} to {@code type}, or throws {@link MessageTypeException} carrying it. */
    public static <T> T convert(Object message, Class<T> type) {
        if (message == null || type.isInstance(message)) {
            return type.cast(message);
        }
        try {
            return MAPPER.convertValue(message, type);
        } catch (IllegalArgumentException e) {
            throw new MessageTypeException("cannot receive a " + message.getClass().getName()
                    + " as " + type.getName() + ": " + e.getMessage(), message, e);
        }
    }
}
