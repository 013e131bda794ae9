package io.libchan.internal.codec.json;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageCodecProvider;

/** Provides the {@code json} codec for SPDY channels: newline-ended messages (the dialect does not apply to JSON). */
public final class JsonCodecProvider implements MessageCodecProvider {
    @Override
    public String name() {
        return "json";
    }

    @Override
    public MessageCodec create(Dialect dialect, Settings settings) {
        return JsonCodec.lines(settings); // a channel carries a stream of messages
    }
}
