package io.libchan.spi;

import io.libchan.Dialect;
import io.libchan.Settings;

/** Makes a {@link MessageCodec} by name; found with {@link java.util.ServiceLoader}. */
public interface MessageCodecProvider {
    /** The codec name this provider answers to. */
    String name();

    /** A codec for {@code dialect} with the limits of {@code settings}. */
    MessageCodec create(Dialect dialect, Settings settings);
}
