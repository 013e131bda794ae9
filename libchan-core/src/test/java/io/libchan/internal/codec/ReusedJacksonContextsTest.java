package io.libchan.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonIdentityInfo;
import com.fasterxml.jackson.annotation.ObjectIdGenerators;
import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.internal.codec.msgpack.MsgpackCodec;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The msgpack codec writes and reads every message with a Jackson serializer provider and a
 * deserialization context kept from message to message ({@link ReusedSerializerProvider},
 * {@link ReusedDeserializationContext}): each message must still be handled as by fresh ones.
 */
class ReusedJacksonContextsTest {
    private static final MsgpackCodec CODEC = new MsgpackCodec(Dialect.HEAD, Settings.defaults());

    @JsonIdentityInfo(generator = ObjectIdGenerators.IntSequenceGenerator.class)
    public static final class Node {
        public String name;

        Node(String name) {
            this.name = name;
        }
    }

    @Test
    void objectIdsSeenInOneMessageAreForgottenBeforeTheNext() {
        Node shared = new Node("a");
        List<Node> message = List.of(shared, shared);
        CODEC.encode(message, EncodeContext.NONE); // every serializer it needs made: from here the provider is kept
        byte[] first = CODEC.encode(message, EncodeContext.NONE);
        byte[] second = CODEC.encode(message, EncodeContext.NONE);
        assertArrayEquals(first, second, "the second message carries the node itself, its ids counted from 1 again");
        // the first occurrence in full, the second by its id
        assertEquals(List.of(Map.of("@id", 1L, "name", "a"), 1L), decode(second));
    }

    @Test
    void objectIdsReadInOneMessageAreForgottenBeforeTheNext() {
        Node shared = new Node("a");
        byte[] bytes = CODEC.encode(List.of(shared, shared), EncodeContext.NONE);
        java.util.List<NodeIn> previous = null;
        for (int i = 0; i < 4; i++) { // the first read makes the deserializers; the context is kept from the second
            java.util.List<NodeIn> read = java.util.Arrays.asList(CODEC.decode(bytes, 0, bytes.length, NodeIn[].class, DecodeContext.NONE));
            assertEquals("a", read.get(0).name);
            org.junit.jupiter.api.Assertions.assertSame(read.get(0), read.get(1), "id 1 is the node of this message");
            if (previous != null) {
                org.junit.jupiter.api.Assertions.assertNotSame(previous.get(0), read.get(0), "not the node of the last message");
            }
            previous = read;
        }
    }

    @JsonIdentityInfo(generator = ObjectIdGenerators.IntSequenceGenerator.class)
    public static final class NodeIn {
        public String name;
    }

    public record Early(String text) {
    }

    public record Late(long number, List<String> words) {
    }

    @Test
    void aTypeFirstWrittenAfterOthersIsWrittenWhole() {
        CODEC.encode(new Early("x"), EncodeContext.NONE); // the provider's snapshot of serializers is taken
        Late late = new Late(7, List.of("p", "q"));
        byte[] bytes = CODEC.encode(late, EncodeContext.NONE);
        assertEquals(late, CODEC.decode(bytes, 0, bytes.length, Late.class, DecodeContext.NONE));
        assertEquals(Map.of("number", 7L, "words", List.of("p", "q")), decode(bytes));
    }

    private static Object decode(byte[] bytes) {
        Object value = CODEC.decode(bytes, 0, bytes.length, Object.class, DecodeContext.NONE);
        return normalise(value);
    }

    /** Integers as longs, whatever width the decoder chose. */
    private static Object normalise(Object v) {
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            return n.longValue();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(ReusedJacksonContextsTest::normalise).toList();
        }
        if (v instanceof Map<?, ?> m) {
            java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, normalise(x)));
            return out;
        }
        return v;
    }
}
