package io.libchan.internal.codec;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageCodecProvider;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds codecs by name among the {@link MessageCodecProvider}s on the class path. */
public final class MessageCodecs {
    private static final Map<String, MessageCodecProvider> PROVIDERS = load();

    private MessageCodecs() {
    }

    private static Map<String, MessageCodecProvider> load() {
        Map<String, MessageCodecProvider> map = new TreeMap<>();
        for (MessageCodecProvider p : ServiceLoader.load(MessageCodecProvider.class, MessageCodecs.class.getClassLoader())) {
            map.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p);
        }
        return map;
    }

    /** The codec named by {@code settings.codec()} for {@code dialect}. */
    public static MessageCodec create(Dialect dialect, Settings settings) {
        MessageCodecProvider p = PROVIDERS.get(settings.codec().toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException("unknown libchan codec '" + settings.codec() + "' (known: "
                    + String.join(", ", PROVIDERS.keySet()) + ")");
        }
        return p.create(dialect, settings);
    }
}
