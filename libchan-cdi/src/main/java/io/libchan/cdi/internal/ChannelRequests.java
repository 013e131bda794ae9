package io.libchan.cdi.internal;

import io.libchan.cdi.Channel;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The {@code @Channel} injection points collected while the container scans. Thread-safe: the
 * container may fire {@code ProcessInjectionPoint} from several threads.
 */
final class ChannelRequests {
    private final ConcurrentLinkedQueue<ChannelRequest> requests = new ConcurrentLinkedQueue<>();

    /** Records {@code ip} if it has a {@link Channel} qualifier. */
    void collect(InjectionPoint ip) {
        for (Annotation q : ip.getQualifiers()) {
            if (q instanceof Channel channel) {
                Type type = unwrapProvider(ip.getType());
                Optional<ChannelKind> kind = type instanceof Class<?> c ? ChannelKind.of(c) : Optional.empty();
                requests.add(new ChannelRequest(channel.value(), kind, type, describe(ip)));
            }
        }
    }

    List<ChannelRequest> all() {
        return List.copyOf(requests);
    }

    private static Type unwrapProvider(Type type) {
        if (type instanceof ParameterizedType p
                && (p.getRawType() == Instance.class || p.getRawType() == Provider.class)) {
            return p.getActualTypeArguments()[0];
        }
        return type;
    }

    private static String describe(InjectionPoint ip) {
        Member member = ip.getMember();
        String owner = member == null ? "?" : member.getDeclaringClass().getName();
        if (member instanceof Field) {
            return owner + "." + member.getName();
        }
        String method = member instanceof Constructor ? "<init>" : member == null ? "?" : member.getName();
        String position = ip.getAnnotated() instanceof jakarta.enterprise.inject.spi.AnnotatedParameter<?> p
                ? "#" + p.getPosition() : "";
        return owner + "." + method + "(" + position + ")";
    }
}
