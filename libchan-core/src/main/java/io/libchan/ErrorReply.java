package io.libchan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The error reply convention every layer of this library shares (PROTOCOL.md, "Conventions"):
 * a handler that fails answers on the message's reply channel with
 * {@code {"error": {"type": "<kind>", "message": "<text>"}}} instead of a result. Go and jschan
 * peers see an ordinary map.
 */
public final class ErrorReply {
    /** The key of the error reply's only field. */
    public static final String FIELD = "error";

    private ErrorReply() {
    }

    /** An error reply message. */
    public static Map<String, Object> of(String type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", message == null ? "" : message);
        return Map.of(FIELD, error);
    }

    /**
     * An error reply for an exception: its class name as the type, its message as the message.
     * Container wrappers ({@code EJBException} and its kind, reflection wrappers) are looked
     * through, so the peer learns what the application threw.
     */
    public static Map<String, Object> of(Throwable t) {
        while (t.getCause() != null && isWrapper(t)) {
            t = t.getCause();
        }
        if (t instanceof RemoteErrorException) {
            RemoteErrorException r = (RemoteErrorException) t;
            return of(r.type(), r.getMessage().substring(r.type().length() + 2));
        }
        return of(t.getClass().getName(), t.getMessage());
    }

    private static boolean isWrapper(Throwable t) {
        String name = t.getClass().getName();
        return name.startsWith("jakarta.ejb.EJB") || name.startsWith("javax.ejb.EJB")
                || t instanceof java.lang.reflect.InvocationTargetException
                || t instanceof java.lang.reflect.UndeclaredThrowableException;
    }

    /**
     * The error carried by {@code message} if it is an error reply (a map whose only key is
     * {@code error}, any case, holding a map), else empty.
     */
    public static Optional<RemoteErrorException> asError(Object message) {
        if (!(message instanceof Map) || ((Map<?, ?>) message).size() != 1) {
            return Optional.empty();
        }
        Map.Entry<?, ?> entry = ((Map<?, ?>) message).entrySet().iterator().next();
        if (!(entry.getKey() instanceof String) || !FIELD.equalsIgnoreCase((String) entry.getKey())
                || !(entry.getValue() instanceof Map)) {
            return Optional.empty();
        }
        Map<?, ?> error = (Map<?, ?>) entry.getValue();
        Object type = field(error, "type");
        Object text = field(error, "message");
        return Optional.of(new RemoteErrorException(type == null ? "error" : type.toString(),
                text == null ? "" : text.toString()));
    }

    private static Object field(Map<?, ?> map, String name) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() instanceof String && name.equalsIgnoreCase((String) e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }
}
