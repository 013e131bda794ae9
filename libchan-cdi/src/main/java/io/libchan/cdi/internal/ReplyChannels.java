package io.libchan.cdi.internal;

import io.libchan.Messages;
import io.libchan.Sender;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a message's reply channel, its {@code ret} property (any case, as {@link Messages} does
 * for maps): a map entry, a record component, a public {@code getRet()}/{@code ret()} method or a
 * field, holding a {@link Sender}. Messages arrive as maps over a network but as the very object
 * that was sent in memory, so all forms matter. Stateless and thread-safe.
 */
final class ReplyChannels {
    private ReplyChannels() {
    }

    /** The reply channel of {@code message}, if it has one. */
    static Optional<Sender> of(Object message) {
        if (message == null) {
            return Optional.empty();
        }
        if (message instanceof Map) {
            return Messages.replyChannel(message);
        }
        try {
            Optional<Method> accessor = accessor(message.getClass());
            if (accessor.isPresent()) {
                return asSender(accessor.get().invoke(message));
            }
            Optional<Field> field = field(message.getClass());
            if (field.isPresent()) {
                field.get().setAccessible(true);
                return asSender(field.get().get(message));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** True when messages of {@code type} carry their reply channel as a typed {@code ret} property. */
    static boolean declaredBy(Class<?> type) {
        if (type == null || Map.class.isAssignableFrom(type) || type == Object.class) {
            return false;
        }
        return accessor(type).isPresent() || field(type).isPresent();
    }

    private static Optional<Sender> asSender(Object value) {
        return value instanceof Sender s ? Optional.of(s) : Optional.empty();
    }

    private static Optional<Method> accessor(Class<?> type) {
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                if (isRet(c.getName()) && Sender.class.isAssignableFrom(c.getType())) {
                    Method m = c.getAccessor();
                    m.setAccessible(true);
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() == 0 && Sender.class.isAssignableFrom(m.getReturnType())
                    && (isRet(m.getName()) || m.getName().equalsIgnoreCase("getRet"))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static Optional<Field> field(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && isRet(f.getName())
                        && Sender.class.isAssignableFrom(f.getType())) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isRet(String name) {
        return Messages.RET.equalsIgnoreCase(name);
    }
}
