package io.libchan.internal.codec;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageCodecProvider;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds codecs by name among the {@link MessageCodecProvider}s on the class path: this library's
 * own class loader first, then the thread's context class loader (an application that ships a codec
 * beside a shared libchan).
 */
public final class MessageCodecs {
    private static final Map<String, MessageCodecProvider> PROVIDERS = load(MessageCodecs.class.getClassLoader());

    private MessageCodecs() {
    }

    private static Map<String, MessageCodecProvider> load(ClassLoader loader) {
        Map<String, MessageCodecProvider> map = new TreeMap<>();
        for (MessageCodecProvider p : ServiceLoader.load(MessageCodecProvider.class, loader)) {
            map.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p);
        }
        return map;
    }

    private static MessageCodecProvider find(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        MessageCodecProvider p = PROVIDERS.get(key);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (p == null && context != null && context != MessageCodecs.class.getClassLoader()) {
            p = load(context).get(key);
        }
        return p;
    }

    /** True when a codec named {@code name} is on the class path. */
    public static boolean installed(String name) {
        return find(name) != null;
    }

    /**
     * Checks that {@code name} names an installed codec.
     *
     * @throws IllegalArgumentException naming the value and the codecs there are
     */
    public static String check(String name) {
        if (!installed(name)) {
            throw new IllegalArgumentException("unknown libchan codec '" + name + "' (known: "
                    + String.join(", ", PROVIDERS.keySet())
                    + (isShippedApart(name) ? "; " + name + " comes with the libchan-codecs module" : "") + ")");
        }
        return name;
    }

    private static boolean isShippedApart(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("cbor") || n.equals("xml") || n.equals("protobuf");
    }

    /** The codec named by {@code settings.codec()} for {@code dialect}. */
    public static MessageCodec create(Dialect dialect, Settings settings) {
        MessageCodecProvider p = find(check(settings.codec()));
        return p.create(dialect, settings);
    }
}
