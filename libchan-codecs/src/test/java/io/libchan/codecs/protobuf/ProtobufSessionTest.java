package io.libchan.codecs.protobuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.MessageTypeException;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.codecs.protobuf.test.Confirmation;
import io.libchan.codecs.protobuf.test.Nested;
import io.libchan.codecs.protobuf.test.Order;
import io.libchan.codecs.protobuf.test.OrderV2;
import io.libchan.internal.session.SpdySession;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Protobuf sessions between Java peers (PROTOCOL.md section 15.4), over TCP. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtobufSessionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private Listener listener;
    private Transport client;
    private Transport server;

    @BeforeEach
    void connect() {
        listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.defaults());
        client = Libchan.connect(URI.create(listener.uri() + "?codec=protobuf"), Settings.defaults());
        server = listener.accept(WAIT);
    }

    @AfterEach
    void close() {
        client.abort();
        server.abort();
        listener.close();
    }

    @Test
    void anOrderCarriesAReplyChannelAByteStreamAndAChannelInANestedMessage() throws Exception {
        Pipe reply = Pipe.create();
        Pipe updates = Pipe.create();
        Order order = Order.newBuilder()
                .setItem("tea").setCount(3)
                .setRet(ProtoRefs.of(reply.sender()))
                .setNote(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff}))
                .setAt(Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(123_456_789))
                .addAttachments(ProtoRefs.of(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8))))
                .setNested(Nested.newBuilder().setUpdates(ProtoRefs.of(updates.receiver())))
                .build();
        client.newSendChannel().send(order);
        updates.sender().send(Confirmation.newBuilder().setStatus("packed").build());
        updates.sender().close();

        Order got = server.waitReceiveChannel(WAIT).receive(Order.class, WAIT);
        assertEquals("tea", got.getItem());
        assertEquals(3, got.getCount());
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, got.getNote().toByteArray());
        assertEquals(123_456_789, got.getAt().getNanos());
        assertEquals("hello", new String(ProtoRefs.byteStream(got.getAttachments(0)).input().readAllBytes(), StandardCharsets.UTF_8));
        Receiver updatesAtServer = ProtoRefs.receiver(got.getNested().getUpdates());
        assertEquals("packed", updatesAtServer.receive(Confirmation.class, WAIT).getStatus());
        assertThrows(EndOfChannelException.class, () -> updatesAtServer.receive(Confirmation.class, WAIT));

        Sender ret = ProtoRefs.sender(got.getRet());
        ret.send(Confirmation.newBuilder().setItem(got.getItem()).setStatus("confirmed").build());
        ret.close();
        assertEquals(Confirmation.newBuilder().setItem("tea").setStatus("confirmed").build(),
                reply.receiver().receive(Confirmation.class, WAIT));
        assertThrows(EndOfChannelException.class, () -> reply.receiver().receive(Confirmation.class, WAIT));
        assertEquals(Optional.of("protobuf"), ((SpdySession) client).agreedCodec());
        assertEquals(Optional.of("protobuf"), ((SpdySession) server).agreedCodec());
    }

    @Test
    void aMessageOfAnotherTypeIsATypeErrorCarryingItAndTheChannelGoesOn() {
        Sender out = client.newSendChannel();
        out.send(Confirmation.newBuilder().setStatus("not an order").build());
        out.send(Order.newBuilder().setItem("next").build());
        Receiver in = server.waitReceiveChannel(WAIT);
        MessageTypeException e = assertThrows(MessageTypeException.class, () -> in.receive(Order.class, WAIT));
        assertTrue(e.getMessage().contains("libchan.test.Confirmation"), e.getMessage());
        Any carried = assertInstanceOf(Any.class, e.untypedMessage());
        assertTrue(carried.is(Confirmation.class));
        assertEquals("next", in.receive(Order.class, WAIT).getItem());
    }

    @Test
    void fieldsTheReceiversSchemaDoesNotKnowAreATypeError() {
        OrderV2 newer = OrderV2.newBuilder().setItem("tea").setCount(1).setCoupon("HALF").build();
        // an Order as a newer schema writes it: Order's type, a field 99 it does not have
        Any asOrder = Any.newBuilder().setTypeUrl("type.googleapis.com/libchan.test.Order").setValue(newer.toByteString()).build();
        Sender out = client.newSendChannel();
        out.send(asOrder);
        Receiver in = server.waitReceiveChannel(WAIT);
        MessageTypeException e = assertThrows(MessageTypeException.class, () -> in.receive(Order.class, WAIT));
        assertTrue(e.getMessage().contains("[99]"), e.getMessage());
    }

    @Test
    void onlyProtobufMessagesCanBeSent() {
        Sender out = client.newSendChannel();
        MessageTypeException e = assertThrows(MessageTypeException.class, () -> out.send(Map.of("cmd", "hi")));
        assertTrue(e.getMessage().contains("protobuf messages only"), e.getMessage());
    }

    @Test
    void anyMessageIsReceivedAsItsAnyWhenNoClassIsNamed() throws Exception {
        client.newSendChannel().send(Confirmation.newBuilder().setStatus("ok").build());
        Object got = server.waitReceiveChannel(WAIT).receive(Object.class, WAIT);
        assertEquals("ok", assertInstanceOf(Any.class, got).unpack(Confirmation.class).getStatus());
    }

    @Test
    void aReferenceNotMadeByProtoRefsCannotBeSent() {
        Order bad = Order.newBuilder().setRet(io.libchan.proto.Reference.newBuilder().setId(7)
                .setKind(io.libchan.proto.Reference.Kind.SENDER)).build();
        MessageTypeException e = assertThrows(MessageTypeException.class, () -> client.newSendChannel().send(bad));
        assertTrue(e.getMessage().contains("ProtoRefs.of"), e.getMessage());
    }
}
