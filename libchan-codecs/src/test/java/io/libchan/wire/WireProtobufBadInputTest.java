package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.libchan.LibchanException;
import io.libchan.MessageTooLargeException;
import io.libchan.ProtocolException;
import io.libchan.Receiver;
import io.libchan.codecs.protobuf.test.Confirmation;
import io.libchan.codecs.protobuf.test.Tree;
import io.libchan.internal.spdy.RstStreamFrame;
import io.libchan.internal.spdy.SpdyStatus;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input in a protobuf session from a raw client: the message fails its channel only, as with msgpack. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireProtobufBadInputTest {
    private static byte[] prefixed(byte[] body) {
        return RawSpdyPeer.concat(RawSpdyPeer.int32(body.length), body);
    }

    private static byte[] message(Message m) {
        return prefixed(Any.pack(m).toByteArray());
    }

    private static void assertFailsItsChannelOnly(byte[] bad, Class<? extends LibchanException> error, int rstStatus)
            throws Exception {
        RawSpdyPeer.againstOurServer("flow-control,codec=protobuf", (peer, server, top) -> {
            assertTrue(top.headers().get("libchan-ext").contains("codec=protobuf"), "answer: " + top.headers());
            peer.openChannel(3, 2);
            peer.sendData(1, RawSpdyPeer.concat(message(Confirmation.newBuilder().setStatus("good").build()), bad));
            Receiver one = server.waitReceiveChannel(WAIT);
            Receiver three = server.waitReceiveChannel(WAIT);
            assertEquals("good", one.receive(Confirmation.class, WAIT).getStatus());
            LibchanException e = assertThrows(error, () -> one.receive(Tree.class, WAIT));
            assertFalse(e instanceof ProtocolException && ((ProtocolException) e).isSessionFatal(), e.toString());
            assertEquals(new RstStreamFrame(1, rstStatus), peer.awaitRst(1));
            peer.sendData(3, message(Confirmation.newBuilder().setStatus("other").build()));
            assertEquals("other", three.receive(Confirmation.class, WAIT).getStatus(), "the session goes on");
        });
    }

    @Test
    void aTruncatedMessageIsAProtocolError() throws Exception {
        // an Any whose type_url (field 1) declares 20 bytes and has 3
        assertFailsItsChannelOnly(prefixed(RawSpdyPeer.hex("0a 14 61 62 63")), ProtocolException.class,
                SpdyStatus.RST_PROTOCOL_ERROR);
    }

    @Test
    void aPrefixOverMaxMessageBytesIsRefusedBeforeTheBody() throws Exception {
        assertFailsItsChannelOnly(RawSpdyPeer.hex("7f ff ff ff"), MessageTooLargeException.class, SpdyStatus.RST_FRAME_TOO_LARGE);
    }

    @Test
    void nestingDeeperThanMaxNestingDepthIsAProtocolError() throws Exception {
        Tree deep = Tree.getDefaultInstance();
        for (int i = 0; i < 100; i++) {
            deep = Tree.newBuilder().addChildren(deep).build();
        }
        assertFailsItsChannelOnly(message(deep), ProtocolException.class, SpdyStatus.RST_PROTOCOL_ERROR);
    }

    @Test
    void aFieldOfTheWrongWireTypeIsATypeErrorAndTheChannelGoesOn() throws Exception {
        // a Tree whose field 1 (a message) comes as a varint: protobuf keeps it as an unknown field
        Any wrong = Any.newBuilder().setTypeUrl("type.googleapis.com/libchan.test.Tree")
                .setValue(com.google.protobuf.ByteString.copyFrom(RawSpdyPeer.hex("08 01"))).build();
        RawSpdyPeer.againstOurServer("codec=protobuf", (peer, server, top) -> {
            peer.sendData(1, RawSpdyPeer.concat(prefixed(wrong.toByteArray()), message(Tree.getDefaultInstance())));
            Receiver one = server.waitReceiveChannel(WAIT);
            io.libchan.MessageTypeException e = assertThrows(io.libchan.MessageTypeException.class,
                    () -> one.receive(Tree.class, WAIT));
            assertTrue(e.getMessage().contains("[1]"), e.getMessage());
            assertEquals(wrong, e.untypedMessage());
            assertEquals(Tree.getDefaultInstance(), one.receive(Tree.class, WAIT));
        });
    }
}
