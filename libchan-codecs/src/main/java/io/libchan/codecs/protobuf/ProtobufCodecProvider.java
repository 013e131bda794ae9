package io.libchan.codecs.protobuf;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageCodecProvider;

/** Provides the {@code protobuf} codec (PROTOCOL.md section 15.4); the dialect does not apply to it. */
public final class ProtobufCodecProvider implements MessageCodecProvider {
    @Override
    public String name() {
        return "protobuf";
    }

    @Override
    public MessageCodec create(Dialect dialect, Settings settings) {
        return new ProtobufCodec(settings);
    }
}
