package io.libchan.internal.codec.msgpack;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageCodecProvider;

/** Provides the {@code msgpack} codec, the libchan wire encoding. */
public final class MsgpackCodecProvider implements MessageCodecProvider {
    @Override
    public String name() {
        return "msgpack";
    }

    @Override
    public MessageCodec create(Dialect dialect, Settings settings) {
        return new MsgpackCodec(dialect, settings);
    }
}
