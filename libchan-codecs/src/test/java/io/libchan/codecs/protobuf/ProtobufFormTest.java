package io.libchan.codecs.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.Dialect;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.codecs.protobuf.test.Order;
import io.libchan.internal.codec.MessageCodecs;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The bytes of PROTOCOL.md section 15.4's example, and what reads back from them. */
class ProtobufFormTest {
    private static final MessageCodec PROTOBUF = MessageCodecs.create(Dialect.HEAD, Settings.builder().codec("protobuf").build());

    @Test
    void anOrderWithAReplyChannelIsALengthPrefixedAnyWithAReferenceField() {
        Pipe reply = Pipe.create();
        Order order = Order.newBuilder().setItem("hi").setRet(ProtoRefs.of(reply.sender())).build();
        byte[] bytes = PROTOBUF.encode(order, value -> new Reference(ReferenceKind.SENDER, 3));
        String typeUrl = HexFormat.ofDelimiter(" ").formatHex("type.googleapis.com/libchan.test.Order".getBytes());
        assertEquals("00 00 00 34 0a 26 " + typeUrl + " 12 0a 0a 02 68 69 1a 04 08 03 10 04",
                HexFormat.ofDelimiter(" ").formatHex(bytes));

        Sender resolved = Pipe.create().sender();
        Order back = PROTOBUF.decode(bytes, 0, bytes.length, Order.class, ref -> {
            assertEquals(new Reference(ReferenceKind.SENDER, 3), ref);
            return resolved;
        });
        assertEquals("hi", back.getItem());
        assertEquals(resolved, ProtoRefs.sender(back.getRet()));
    }

    @Test
    void aReferenceKeepsItsStreamForAsLongAsItsMessageLives() {
        // nothing but the message holds the stream: it must still be there when the message is sent
        Order order = Order.newBuilder().setItem("x")
                .addAttachments(ProtoRefs.of(new java.io.ByteArrayInputStream(new byte[] {1}))).build();
        for (int i = 0; i < 5; i++) {
            System.gc();
            byte[] garbage = new byte[1 << 20];
            garbage[0] = 1;
        }
        java.util.List<Object> opened = new java.util.ArrayList<>();
        PROTOBUF.encode(order, value -> {
            opened.add(value);
            return new Reference(ReferenceKind.BYTE_STREAM_READ, 3);
        });
        assertEquals(1, opened.size());
        org.junit.jupiter.api.Assertions.assertInstanceOf(java.io.InputStream.class, opened.get(0));
    }
}
