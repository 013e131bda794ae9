package io.libchan.codecs.cbor;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageCodecProvider;

/** Provides the {@code cbor} codec (PROTOCOL.md section 15.2); the dialect does not apply to it. */
public final class CborCodecProvider implements MessageCodecProvider {
    @Override
    public String name() {
        return "cbor";
    }

    @Override
    public MessageCodec create(Dialect dialect, Settings settings) {
        return new CborCodec(settings);
    }
}
