package io.libchan.codecs;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.contract.TransportContractTest;
import io.libchan.contract.TransportPair;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transport contract over TCP once per codec of this module (core runs it for msgpack and
 * json), and for {@code tlv}, the SPI's worked example written outside libchan
 * ({@link io.libchan.codecs.example.TlvCodec}): the client asks for the codec, a listener left at
 * msgpack takes it.
 */
@ParameterizedClass(name = "codec={0}")
@ValueSource(strings = {"cbor", "xml", "tlv"})
class CodecContractTest extends TransportContractTest {
    @Parameter
    String codec;

    @Override
    protected TransportPair connect() {
        Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.defaults());
        Transport client = Libchan.connect(URI.create(listener.uri() + "?codec=" + codec), Settings.defaults());
        Transport server = listener.accept(Duration.ofSeconds(10));
        return new TransportPair(client, server, listener);
    }

    /** The suite proves the codec only if the session really speaks it: a silent msgpack would pass too. */
    @org.junit.jupiter.api.Test
    void bothSidesAgreedOnTheCodecAskedFor() {
        client.newSendChannel().send(java.util.Map.of("n", 1));
        server.waitReceiveChannel(WAIT).receive(Object.class, WAIT);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of(codec),
                ((io.libchan.internal.session.SpdySession) client).agreedCodec());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of(codec),
                ((io.libchan.internal.session.SpdySession) server).agreedCodec());
    }
}
