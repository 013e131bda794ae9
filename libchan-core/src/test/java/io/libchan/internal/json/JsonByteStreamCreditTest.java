package io.libchan.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.BytePipe;
import io.libchan.MessageListener;
import io.libchan.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A libchan.json byte stream spliced onto the application's pipe: a reader that reads one byte at a
 * time still gets every byte past several windows, and credit goes back in batches, not a frame per read.
 */
@Timeout(60)
class JsonByteStreamCreditTest {
    private static final int BYTES = 1024 * 1024;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final WirePair wires = new WirePair();

    @AfterEach
    void tearDown() {
        wires.close();
        pool.shutdownNow();
    }

    @Test
    void aReaderOfOneByteAtATimeGetsEveryByteAndCreditsInBatches() throws Exception {
        Settings settings = Settings.builder().executor(pool).build();
        JsonSession server = JsonSession.server(wires.server, settings, pool);
        JsonSession client = JsonSession.client(wires.client, settings);
        wires.start(client, server);
        LinkedBlockingQueue<ByteStream> received = new LinkedBlockingQueue<>();
        server.receiveChannelAsync().thenAccept(top -> top.subscribe(Map.class, pool, new MessageListener<Map>() {
            @Override
            public void onMessage(Map m) {
                received.add((ByteStream) m.get("bytes"));
            }
        }));
        BytePipe pipe = BytePipe.create();
        client.newSendChannel("upload").send(Map.of("bytes", pipe.remote()));
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> writeAll(pipe.local().output()), pool);

        InputStream in = received.poll(30, TimeUnit.SECONDS).input();
        for (int i = 0; i < BYTES; i++) {
            assertEquals(i % 251, in.read(), "byte " + i);
        }
        assertEquals(-1, in.read());
        written.get(30, TimeUnit.SECONDS);

        int credits = wires.server.creditsSent.get();
        assertTrue(credits <= BYTES / JsonFrames.DATA_CHUNK + 1, credits + " credit frames for " + BYTES + " bytes read");
    }

    private static void writeAll(OutputStream out) {
        byte[] chunk = new byte[8192];
        try {
            for (int off = 0; off < BYTES; off += chunk.length) {
                for (int j = 0; j < chunk.length; j++) {
                    chunk[j] = (byte) ((off + j) % 251);
                }
                out.write(chunk);
            }
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
