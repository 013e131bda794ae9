package io.libchan.cli;

import java.util.Collection;
import java.util.Map;

/**
 * Whether a message is small enough to answer on the thread that delivered it: its plain data
 * (strings, binary, numbers, nested maps and lists) adds up to at most {@link #LIMIT} bytes,
 * roughly as encoded. Channels and streams count for little: they are answered without copying
 * (nested Receivers by subscription, streams on threads of their own).
 */
final class SmallMessage {
    static final int LIMIT = 16 * 1024;

    private SmallMessage() {
    }

    static boolean fits(Object message) {
        return size(message, 0) <= LIMIT;
    }

    /** An estimate of {@code value}'s encoded size, given up on past {@link #LIMIT}; {@code depth} bounds the walk. */
    private static long size(Object value, int depth) {
        if (depth > 32) {
            return LIMIT + 1;
        }
        if (value instanceof String) {
            return 5 + 3L * ((String) value).length(); // UTF-8: at most 3 bytes per char
        }
        if (value instanceof byte[]) {
            return 5 + ((byte[]) value).length;
        }
        long total = 9;
        if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                total += size(e.getKey(), depth + 1) + size(e.getValue(), depth + 1);
                if (total > LIMIT) {
                    return total;
                }
            }
        } else if (value instanceof Collection) {
            for (Object item : (Collection<?>) value) {
                total += size(item, depth + 1);
                if (total > LIMIT) {
                    return total;
                }
            }
        }
        return total;
    }
}
