package io.libchan.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Receiver;
import io.libchan.Transport;
import io.libchan.internal.spdy.DataFrame;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A byte stream echoed to a Go peer (issue 15, item 8). Go's spdystream pays for every DATA frame
 * it reads (a frame worker queue, a stream data channel, an allocation), and it writes its own in
 * 32 KiB frames ({@code io.Copy}). An application echoing with {@code input().transferTo(output())}
 * used to answer in 8 KiB frames (InputStream's copy buffer), which held the Go client to a third of
 * what the Go echo server gives it; the stream's input now copies in reads of up to 64 KiB.
 */
class WireGoByteStreamTest {
    private static final int FRAME = 32 * 1024;
    private static final int FRAMES = 32;

    @Test
    void byteStreamEchoedWithTransferToGoesBackInFramesAsLargeAsTheGoPeerWrites() throws Exception {
        byte[] data = new byte[FRAME * FRAMES];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >>> 8));
        }
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer go = RawSpdyPeer.connect(listener.uri())) {
            // as the Go client does it: the channel, then the byte stream under it, then the message
            // naming it; no SETTINGS and no WINDOW_UPDATE, ever
            go.openChannel(1, 1);
            go.openNested(3, 1, 2);
            go.sendData(1, Msgpack.map("Stream", Msgpack.ext(1, 2)));
            Transport server = listener.accept(RawSpdyPeer.WAIT);
            try {
                CompletableFuture<Long> echoed = CompletableFuture.supplyAsync(() -> echo(server));
                for (int i = 0; i < FRAMES; i++) {
                    go.sendData(3, Arrays.copyOfRange(data, i * FRAME, (i + 1) * FRAME));
                }
                go.sendFin(3);

                assertArrayEquals(data, go.payloadUntilFin(3), "the echo, byte for byte");
                long frames = go.received().stream()
                        .filter(f -> f instanceof DataFrame d && d.streamId() == 3 && d.data().length > 0).count();
                // an 8 KiB copy buffer writes at least data.length / 8 KiB = 128 frames
                assertTrue(frames < data.length / (8 * 1024),
                        "echoed 1 MiB in " + frames + " DATA frames: copies of 8 KiB or less");
                assertTrue(echoed.join() == data.length);
            } finally {
                server.abort();
            }
        }
    }

    private static long echo(Transport server) {
        Receiver channel = server.waitReceiveChannel();
        Object message = channel.receive();
        ByteStream stream = (ByteStream) Messages.field(message, "Stream").orElseThrow();
        try {
            long n = stream.input().transferTo(stream.output());
            stream.closeWrite();
            return n;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
