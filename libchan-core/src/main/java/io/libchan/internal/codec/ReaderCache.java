package io.libchan.internal.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link ObjectReader} per target type, kept where it cannot pin a class loader that should go.
 * A type of this library's own loader or one of its ancestors ({@code Object}, {@code Map}, a JDK
 * record...) lives at least as long as the cache: a map of ours holds it. A type of a loader below
 * ours (an application deployed on top of a shared libchan) gets a {@link ClassValue}, which dies
 * with that type. Any other type is not cached: a {@code ClassValue} on a longer-lived class holds
 * its value strongly (JDK-8136353), so caching a reader of ours on {@code Object.class} kept a whole
 * deployment's class loader after undeploy. Thread-safe.
 */
public final class ReaderCache {
    private final ObjectMapper mapper;
    private final java.util.function.UnaryOperator<ObjectReader> decorate;
    private final ClassLoader own = ReaderCache.class.getClassLoader();
    private final ConcurrentHashMap<Class<?>, ObjectReader> outliving = new ConcurrentHashMap<>();
    private final ClassValue<ObjectReader> below = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return readerFor(type);
        }
    };

    public ReaderCache(ObjectMapper mapper) {
        this(mapper, java.util.function.UnaryOperator.identity());
    }

    /** @param decorate makes the reader kept for a type from the mapper's */
    public ReaderCache(ObjectMapper mapper, java.util.function.UnaryOperator<ObjectReader> decorate) {
        this.mapper = mapper;
        this.decorate = decorate;
    }

    private ObjectReader readerFor(Class<?> type) {
        return decorate.apply(mapper.readerFor(type));
    }

    /** The reader for {@code type}. */
    public ObjectReader get(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        if (isSelfOrAncestor(loader, own)) {
            ObjectReader known = outliving.get(type); // no method reference made per decode when it is there
            return known != null ? known : outliving.computeIfAbsent(type, this::readerFor);
        }
        if (isSelfOrAncestor(own, loader)) {
            return below.get(type);
        }
        return readerFor(type);
    }

    /** {@code candidate} is {@code of} or one of its parents (null: the bootstrap loader, everyone's ancestor). */
    private static boolean isSelfOrAncestor(ClassLoader candidate, ClassLoader of) {
        if (candidate == null) {
            return true;
        }
        for (ClassLoader l = of; l != null; l = l.getParent()) {
            if (l == candidate) {
                return true;
            }
        }
        return false;
    }
}
