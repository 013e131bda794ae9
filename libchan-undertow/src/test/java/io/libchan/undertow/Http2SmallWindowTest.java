package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.BytePipe;
import io.libchan.ByteStream;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.PathHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions over an HTTP/2 connection whose server grants a stream window far smaller than the
 * writes (2,000 bytes): nearly every frame Undertow sends is cut by the window. Every message must
 * still arrive and a byte stream echoed through the server come back whole: the last bytes of a
 * write cut that way used to stay in Undertow's stream buffer until the session wrote again (a
 * message sent on an otherwise idle session was then never answered).
 */
class Http2SmallWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BYTES = 256 * 1024;

    private Undertow server;
    private LibchanEndpoint libchan;
    private EchoApplication app;
    private int port;

    @BeforeEach
    void start() {
        libchan = LibchanEndpoint.create(Settings.defaults());
        PathHandler paths = Handlers.path();
        libchan.mountOn(paths, "/libchan");
        LoopbackUndertow started = LoopbackUndertow.start(paths,
                b -> b.setServerOption(UndertowOptions.HTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 2000));
        server = started.server();
        port = started.port();
        app = new EchoApplication(libchan);
    }

    @AfterEach
    void stop() {
        app.close();
        server.stop();
    }

    @Test
    void byteStreamsEchoedThroughASmallWindowComeBackWhole() throws Exception {
        byte[] payload = new byte[BYTES];
        new Random(7).nextBytes(payload);
        try (Transport session = Libchan.connect(URI.create("h2c://127.0.0.1:" + port + "/libchan"), Settings.defaults())) {
            for (int round = 0; round < 5; round++) {
                Sender channel = session.newSendChannel();
                Pipe ret = Pipe.create();
                BytePipe bytes = BytePipe.create();
                channel.send(Map.of("cmd", "bytes", "bytes", bytes.remote(), "ret", ret.sender()), WAIT);
                ByteStream local = bytes.local();
                CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> readAll(local));
                try (OutputStream out = local.output()) {
                    for (int off = 0; off < BYTES; off += 8192) {
                        out.write(payload, off, 8192);
                    }
                }
                assertArrayEquals(payload, back.get(WAIT.toSeconds(), TimeUnit.SECONDS), "round " + round);
                @SuppressWarnings("unchecked")
                Map<String, Object> reply = ret.receiver().receive(Map.class, WAIT);
                assertEquals((long) BYTES, ((Number) reply.get("n")).longValue());
                local.close();
                channel.close();
            }
        }
    }

    @Test
    void aMessageLargerThanTheWindowIsAnsweredOnAnIdleSession() {
        String pad = "x".repeat(3000); // one write more than the server's whole stream window
        try (Transport session = Libchan.connect(URI.create("h2c://127.0.0.1:" + port + "/libchan"), Settings.defaults())) {
            for (int round = 0; round < 5; round++) {
                Pipe ret = Pipe.create();
                Sender channel = session.newSendChannel();
                channel.send(Map.of("cmd", "echo", "n", round, "pad", pad, "ret", ret.sender()), WAIT);
                @SuppressWarnings("unchecked")
                Map<String, Object> reply = ret.receiver().receive(Map.class, WAIT);
                assertEquals((long) round, ((Number) reply.get("n")).longValue());
                channel.close();
            }
        }
    }

    private static byte[] readAll(ByteStream stream) {
        try (InputStream in = stream.input()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
