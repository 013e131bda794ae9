package io.libchan.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.Pipe;
import io.libchan.ProtocolException;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
    private static final JsonCodec JSON = new JsonCodec(Settings.defaults());

    record Msg(String cmd, Sender ret, byte[] data, Instant when) {
    }

    @Test
    void writesChannelsBinaryAndTimeInTheDocumentedForms() {
        MsgpackCodecTest.Loopback loop = new MsgpackCodecTest.Loopback();
        Msg msg = new Msg("hi", Pipe.create().sender(), new byte[] {1, 2, 3}, Instant.parse("2023-11-14T22:13:20.123456789Z"));
        String json = new String(JSON.encode(msg, loop), StandardCharsets.UTF_8);
        assertEquals("{\"cmd\":\"hi\",\"ret\":{\"$sender\":3},\"data\":{\"$bin\":\"AQID\"},"
                + "\"when\":{\"$time\":\"2023-11-14T22:13:20.123456789Z\"}}", json);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Msg back = JSON.decode(bytes, 0, bytes.length, Msg.class, loop);
        assertSame(msg.ret(), back.ret());
        assertArrayEquals(msg.data(), back.data());
        assertEquals(msg.when(), back.when());
    }

    @Test
    void untypedFormHasLongsAndOrderedMaps() {
        byte[] bytes = "{\"b\":1,\"a\":[2.5,null,true]}".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", 1L);
        expected.put("a", java.util.Arrays.asList(2.5, null, true));
        assertEquals(expected, JSON.decode(bytes, 0, bytes.length, Object.class, DecodeContext.NONE));
    }

    @Test
    void malformedAndTooDeepJsonAreProtocolErrors() {
        byte[] bad = "{\"a\":".getBytes(StandardCharsets.UTF_8);
        assertThrows(ProtocolException.class, () -> JSON.decode(bad, 0, bad.length, Object.class, DecodeContext.NONE));
        byte[] deep = "[".repeat(500).concat("]".repeat(500)).getBytes(StandardCharsets.UTF_8);
        assertThrows(ProtocolException.class, () -> JSON.decode(deep, 0, deep.length, Object.class, DecodeContext.NONE));
        byte[] ref = "{\"$sender\":3}".getBytes(StandardCharsets.UTF_8);
        assertThrows(ProtocolException.class, () -> JSON.decode(ref, 0, ref.length, Object.class, DecodeContext.NONE));
    }

    @Test
    void framesMessagesByNewline() {
        byte[] stream = "{\"a\":1}\n{\"b\":2}\n{\"c\"".getBytes(StandardCharsets.UTF_8);
        var framer = JSON.newFramer();
        int first = framer.feed(stream, 0, stream.length);
        assertEquals(8, first);
        int second = first + framer.feed(stream, first, stream.length - first);
        assertEquals(16, second);
        assertEquals(-1, framer.feed(stream, second, stream.length - second));
        assertEquals("{\"a\":1}\n", new String(stream, 0, first, StandardCharsets.UTF_8));
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), JSON.encode(Map.of(), EncodeContext.NONE));
    }
}
