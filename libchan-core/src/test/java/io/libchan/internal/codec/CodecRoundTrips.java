package io.libchan.internal.codec;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.internal.codec.msgpack.MsgpackCodec;
import io.libchan.internal.convert.MessageConverter;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import java.util.List;
import java.util.Map;

/**
 * What a deployment's messages do to a container thread: encodes and decodes a message with every
 * codec of this library, small and large (a large one is read in blocks), and converts one in
 * memory. Loaded by {@link NoThreadLocalsTest} in a class loader of its own, like a WAR's copy.
 */
public final class CodecRoundTrips implements Runnable {
    @Override
    public void run() {
        Map<String, Object> small = Map.of("cmd", "hello", "n", 42, "list", List.of(1, 2, 3));
        Map<String, Object> large = Map.of("blob", new byte[200_000], "cmd", "x".repeat(20_000));
        for (Dialect dialect : Dialect.values()) {
            MsgpackCodec msgpack = new MsgpackCodec(dialect, Settings.defaults());
            for (Map<String, Object> message : List.of(small, large)) {
                byte[] bytes = msgpack.encode(message, EncodeContext.NONE);
                msgpack.decode(bytes, 0, bytes.length, Object.class, DecodeContext.NONE);
                int half = bytes.length / 2;
                byte[][] blocks = {java.util.Arrays.copyOf(bytes, half), java.util.Arrays.copyOfRange(bytes, half, bytes.length)};
                msgpack.decodeFramed(blocks, bytes.length, Object.class, DecodeContext.NONE);
            }
        }
        JsonCodec json = new JsonCodec(Settings.defaults());
        byte[] bytes = json.encode(small, EncodeContext.NONE);
        json.decode(bytes, 0, bytes.length, Object.class, DecodeContext.NONE);
        MessageConverter.convert(small, Map.class);
    }
}
