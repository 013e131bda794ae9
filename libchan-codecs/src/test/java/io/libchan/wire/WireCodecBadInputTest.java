package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Dialect;
import io.libchan.LibchanException;
import io.libchan.MessageTooLargeException;
import io.libchan.ProtocolException;
import io.libchan.Receiver;
import io.libchan.Settings;
import io.libchan.internal.codec.MessageCodecs;
import io.libchan.internal.spdy.RstStreamFrame;
import io.libchan.internal.spdy.SpdyStatus;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input in a session agreed on CBOR or XML, from a raw client (PROTOCOL.md sections 9 and 15):
 * as with msgpack, the message fails its channel only, with a typed error for the application and
 * RST_STREAM for the peer, and the session goes on.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ParameterizedClass(name = "codec={0}")
@ValueSource(strings = {"cbor", "xml"})
class WireCodecBadInputTest {
    @Parameter
    String codec;

    private MessageCodec codec() {
        return MessageCodecs.create(Dialect.HEAD, Settings.builder().codec(codec).build());
    }

    private byte[] message(String cmd) {
        return codec().encode(Map.of("Cmd", cmd), EncodeContext.NONE);
    }

    private static byte[] prefixed(byte[] body) {
        return RawSpdyPeer.concat(RawSpdyPeer.int32(body.length), body);
    }

    private static byte[] prefixed(String body) {
        return prefixed(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Channel 1 gets {@code bad}, which must fail it with {@code error}; channel 3, after it, is served. */
    private void assertFailsItsChannelOnly(byte[] bad, Class<? extends LibchanException> error, int rstStatus) throws Exception {
        RawSpdyPeer.againstOurServer("flow-control,codec=" + codec, (peer, server, top) -> {
            assertTrue(top.headers().get("libchan-ext").contains("codec=" + codec), "answer: " + top.headers());
            peer.openChannel(3, 2);
            peer.sendData(1, RawSpdyPeer.concat(message("good"), bad));
            Receiver one = server.waitReceiveChannel(WAIT);
            Receiver three = server.waitReceiveChannel(WAIT);
            assertEquals(Map.of("Cmd", "good"), one.receive(Map.class, WAIT), "the message before the bad one");
            LibchanException e = assertThrows(error, () -> one.receive(Object.class, WAIT));
            assertFalse(e instanceof ProtocolException && ((ProtocolException) e).isSessionFatal(), e.toString());
            assertEquals(new RstStreamFrame(1, rstStatus), peer.awaitRst(1));

            peer.sendData(3, message("other"));
            assertEquals(Map.of("Cmd", "other"), three.receive(Map.class, WAIT), "the session goes on");
            assertTrue(server.isOpen());
        });
    }

    @Test
    void aTruncatedValueIsAProtocolError() throws Exception {
        byte[] body = codec.equals("cbor")
                ? RawSpdyPeer.hex("bf 61 61")         // a map, key "a", then nothing
                : "<map><e k=\"a\">".getBytes(StandardCharsets.UTF_8);
        assertFailsItsChannelOnly(prefixed(body), ProtocolException.class, SpdyStatus.RST_PROTOCOL_ERROR);
    }

    @Test
    void aPrefixOverMaxMessageBytesIsRefusedBeforeTheBody() throws Exception {
        // declares 2 GiB - 1; none of it follows
        assertFailsItsChannelOnly(RawSpdyPeer.hex("7f ff ff ff"), MessageTooLargeException.class, SpdyStatus.RST_FRAME_TOO_LARGE);
    }

    @Test
    void nestingDeeperThanMaxNestingDepthIsAProtocolError() throws Exception {
        byte[] body;
        if (codec.equals("cbor")) {
            body = new byte[101];
            java.util.Arrays.fill(body, (byte) 0x81); // [[[...
            body[100] = 0x01;
        } else {
            body = ("<list>".repeat(100) + "<i>1</i>" + "</list>".repeat(100)).getBytes(StandardCharsets.UTF_8);
        }
        assertFailsItsChannelOnly(prefixed(body), ProtocolException.class, SpdyStatus.RST_PROTOCOL_ERROR);
    }

    @Test
    void garbageIsAProtocolError() throws Exception {
        byte[] body = codec.equals("cbor") ? RawSpdyPeer.hex("ff ff") : "not xml".getBytes(StandardCharsets.UTF_8);
        assertFailsItsChannelOnly(prefixed(body), ProtocolException.class, SpdyStatus.RST_PROTOCOL_ERROR);
    }

    @Test
    void xmlEntityExpansionIsRefused() throws Exception {
        if (!codec.equals("xml")) {
            return; // CBOR has no entities
        }
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY lol \"lol\">");
        dtd.append("<!ENTITY lol1 \"").append("&lol;".repeat(10)).append("\">");
        for (int i = 2; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]><s>&lol9;</s>");
        assertFailsItsChannelOnly(prefixed(dtd.toString()), ProtocolException.class, SpdyStatus.RST_PROTOCOL_ERROR);
    }

    @Test
    void xmlExternalEntitiesCannotReadAFile(@TempDir Path dir) throws Exception {
        if (!codec.equals("xml")) {
            return;
        }
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "the secret");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><s>&x;</s>";
        assertFailsItsChannelOnly(prefixed(xxe), ProtocolException.class, SpdyStatus.RST_PROTOCOL_ERROR);
        // nor without a DTD of its own, through a parameter entity or a DOCTYPE pointing outside
        String external = "<?xml version=\"1.0\"?><!DOCTYPE s SYSTEM \"" + secret.toUri() + "\"><s>x</s>";
        assertFailsItsChannelOnly(prefixed(external), ProtocolException.class, SpdyStatus.RST_PROTOCOL_ERROR);
    }

    @Test
    void aWrongTypeIsAMessageTypeErrorCarryingTheMessage() throws Exception {
        RawSpdyPeer.againstOurServer("codec=" + codec, (peer, server, top) -> {
            peer.sendData(1, message("not a number"));
            Receiver one = server.waitReceiveChannel(WAIT);
            io.libchan.MessageTypeException e = assertThrows(io.libchan.MessageTypeException.class,
                    () -> one.receive(Numbered.class, WAIT));
            assertEquals(Map.of("Cmd", "not a number"), e.untypedMessage());
        });
    }

    public record Numbered(int cmd) {
    }
}
