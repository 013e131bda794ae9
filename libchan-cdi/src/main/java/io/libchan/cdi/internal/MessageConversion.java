package io.libchan.cdi.internal;

import io.libchan.Pipe;

/**
 * Converts a received message to an endpoint's parameter type exactly as
 * {@link io.libchan.Receiver#receive(Class)} would: the same object when it already has the type,
 * otherwise the library's in-memory conversion (Jackson, nested channels passed through). Core has
 * no public converter, so the message goes through a one-slot {@link Pipe}, whose receive applies
 * that conversion. Stateless and thread-safe.
 */
final class MessageConversion {
    private MessageConversion() {
    }

    /**
     * {@code message} as a {@code type}.
     *
     * @throws io.libchan.MessageTypeException when it does not fit, carrying the message
     */
    static <T> T convert(Object message, Class<T> type) {
        if (message == null || type.isInstance(message)) {
            return type.cast(message);
        }
        Pipe pipe = Pipe.buffered(1);
        pipe.sender().send(message);
        return pipe.receiver().receive(type);
    }
}
