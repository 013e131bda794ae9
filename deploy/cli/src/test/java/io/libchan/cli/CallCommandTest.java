package io.libchan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code call}'s message from stdin or a file, {@code --wait nested}, and its hint when a server says nothing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private EchoThreads threads;
    private Listener listener;

    @BeforeEach
    void listen() {
        threads = new EchoThreads(2);
        listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.defaults());
    }

    @AfterEach
    void stop() {
        listener.close();
        threads.close();
    }

    private record Result(int code, List<String> out, String err) {
    }

    private static Result call(InputStream in, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n")), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theMessageMayComeFromStdin() {
        new EchoService(threads.messages(), threads.copies()).serve(listener);
        Result r = call(new ByteArrayInputStream("{\"seq\":1,\"body\":\"from stdin\"}".getBytes(StandardCharsets.UTF_8)),
                "call", listener.uri().toString(), "-", "--timeout", "20s");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("{\"seq\":1,\"body\":\"from stdin\"}"), r.out());
    }

    @Test
    void aMessageFromAFileCarriesAByteStreamOfAMebibyte(@TempDir Path dir) throws Exception {
        new EchoService(threads.messages(), threads.copies()).serve(listener);
        String mebibyte = "x".repeat(1 << 20); // past the 128 KiB one argument may hold
        Path file = dir.resolve("message.json");
        Files.writeString(file, "{\"bytes\":{\"$stream\":\"" + mebibyte + "\"}}");
        Result r = call(InputStream.nullInputStream(), "call", listener.uri().toString(), "@" + file, "--timeout", "30s");
        assertEquals(0, r.code(), r.err());
        String data = "{\"$from\":1,\"data\":\"" + mebibyte + "\"}";
        // the echo replies {} and echoes the stream on itself; compared in short: a failure message
        // with the mebibyte in it helps nobody. The reply and the stream are two channels: nothing
        // orders one against the other (the reply may wait behind the echo's backlog), only the
        // stream's data against its own end
        List<String> lines = r.out().stream().map(line -> line.equals(data) ? "the data line" : line.length() > 200
                ? line.substring(0, 60) + "... (" + line.length() + " chars)" : line).toList();
        assertEquals(List.of("the data line", "{\"$from\":1,\"end\":true}"),
                lines.stream().filter(line -> !line.equals("{}")).toList(), lines.toString());
        assertEquals(1, lines.stream().filter(line -> line.equals("{}")).count(), lines.toString());
    }

    @Test
    void anUnreadableFileIsABadUsage(@TempDir Path dir) {
        Result r = call(InputStream.nullInputStream(), "call", listener.uri().toString(), "@" + dir.resolve("missing.json"));
        assertEquals(64, r.code());
        assertTrue(r.err().contains("missing.json"), r.err());
    }

    /**
     * A service in the manner of jschan's rexec example: it reads stdin to its end, answers on the
     * stream and channel it is given, and closes neither {@code ret}, nor stdin's other direction,
     * nor the status channel.
     */
    @Test
    void waitNestedEndsOnceTheNestedChannelsAndStreamsAreDoneThoughTheServiceClosesNone() throws Exception {
        CompletableFuture<Receiver> served = CompletableFuture.supplyAsync(() -> {
            Transport session = listener.accept(WAIT);
            Receiver channel = session.waitReceiveChannel(WAIT);
            @SuppressWarnings("unchecked")
            Map<String, Object> request = channel.receive(Map.class, WAIT);
            try (InputStream stdin = ((ByteStream) request.get("stdin")).input();
                 OutputStream stdout = ((ByteStream) request.get("stdout")).output()) {
                stdout.write(stdin.readAllBytes());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            ((Sender) request.get("status")).send(Map.of("code", 0)); // and never closed
            return channel;
        });
        Result r = call(InputStream.nullInputStream(), "call", listener.uri().toString(),
                "{\"stdin\":{\"$stream\":\"hi\",\"mode\":\"read\"},\"stdout\":{\"$stream\":\"\",\"mode\":\"write\"},"
                        + "\"status\":{\"$sender\":1}}", "--wait", "nested", "--timeout", "40s");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("{\"$from\":2,\"data\":\"hi\"}"), r.out().toString());
        assertTrue(r.out().contains("{\"$from\":3,\"message\":{\"code\":0}}"), r.out().toString());
        served.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aStreamModeOtherThanReadOrWriteIsABadUsage() {
        Result r = call(InputStream.nullInputStream(), "call", listener.uri().toString(), "{\"s\":{\"$stream\":\"\",\"mode\":\"both\"}}");
        assertEquals(64, r.code(), r.toString());
        assertTrue(r.err().contains("mode"), r.err());
    }

    @Test
    void aServerThatSaysNothingGetsAHintAboutTheV010Dialect() {
        // accepts the session and never reads it, as a v0.1.0 server does with a head-dialect client
        CompletableFuture.runAsync(() -> listener.accept(WAIT));
        Result r = call(InputStream.nullInputStream(), "call", listener.uri().toString(), "{\"seq\":1}", "--timeout", "1s");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--dialect v0.1.0"), r.err());
    }

    @Test
    void theTokenGoesAsABearerTokenOnTheFirstChannel() throws Exception {
        java.util.concurrent.CompletableFuture<java.util.Optional<String>> seen = new java.util.concurrent.CompletableFuture<>();
        Thread server = new Thread(() -> {
            try (io.libchan.Transport session = listener.accept(WAIT)) {
                io.libchan.Receiver channel = session.waitReceiveChannel(WAIT);
                seen.complete(channel.bearerToken());
                java.util.Map<?, ?> message = channel.receive(java.util.Map.class, WAIT);
                io.libchan.Sender ret = (io.libchan.Sender) message.get("ret");
                ret.send(java.util.Map.of("ok", true));
                ret.close();
                session.closeFuture().handle((v, e) -> null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        server.start();
        Result r = call(InputStream.nullInputStream(), "call", listener.uri().toString(), "{}", "--token", "cli-t0ken",
                "--timeout", "20s");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("{\"ok\":true}"), r.out());
        assertEquals(java.util.Optional.of("cli-t0ken"), seen.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        server.join(WAIT.toMillis());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"json", "cbor", "xml"})
    void callAndEchoSpeakTheCodecAsked(String codec) throws Exception {
        try (Listener echo = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.builder().codec(codec).build())) {
            java.util.concurrent.CompletableFuture<io.libchan.Transport> served = echo.acceptAsync().thenApply(session -> {
                new EchoService(threads.messages(), threads.copies()).serve(session);
                return session;
            });
            Result r = call(InputStream.nullInputStream(), "call", echo.uri().toString(),
                    "{\"seq\":1,\"bin\":{\"$bin\":\"AQID\"},\"at\":{\"$time\":\"2023-11-14T22:13:20.123456789Z\"}}",
                    "--codec", codec, "--timeout", "20s");
            assertEquals(0, r.code(), r.toString());
            assertEquals(List.of("{\"seq\":1,\"bin\":{\"$bin\":\"AQID\"},\"at\":{\"$time\":\"2023-11-14T22:13:20.123456789Z\"}}"), r.out());
            // the echo answered, so the session's codec was agreed: the one asked for
            io.libchan.Transport session = served.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(java.util.Optional.of(codec), ((io.libchan.internal.session.SpdySession) session).agreedCodec());
            session.abort();
        }
    }

    @Test
    void anUnknownCodecIsABadUsageNamingIt() {
        Result r = call(InputStream.nullInputStream(), "call", listener.uri().toString(), "{}", "--codec", "yaml");
        assertEquals(64, r.code(), r.toString());
        assertTrue(r.err().contains("'yaml'"), r.err());
    }
}
