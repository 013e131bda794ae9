package io.libchan.codecs.xml;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageCodecProvider;

/** Provides the {@code xml} codec (PROTOCOL.md section 15.3); the dialect does not apply to it. */
public final class XmlCodecProvider implements MessageCodecProvider {
    @Override
    public String name() {
        return "xml";
    }

    @Override
    public MessageCodec create(Dialect dialect, Settings settings) {
        return new XmlCodec(settings);
    }
}
