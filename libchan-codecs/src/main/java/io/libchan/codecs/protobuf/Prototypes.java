package io.libchan.codecs.protobuf;

import com.google.protobuf.Message;

/**
 * The default instance of a generated message class, found once per class ({@code ClassValue}:
 * it goes with the class, so an undeployed application's classes are not held).
 */
final class Prototypes {
    private static final ClassValue<Message> DEFAULTS = new ClassValue<>() {
        @Override
        protected Message computeValue(Class<?> type) {
            try {
                return (Message) type.getMethod("getDefaultInstance").invoke(null);
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalArgumentException(type.getName() + " is not a generated protobuf message class", e);
            }
        }
    };

    private Prototypes() {
    }

    static Message of(Class<?> type) {
        return DEFAULTS.get(type);
    }
}
