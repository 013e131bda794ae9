package io.libchan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The echo protocol of README's CLI section, served by {@link EchoService} on the pools of
 * {@code libchan.jar echo}, and asked by our {@code call} client or a Java peer over {@code tcp://}.
 */
class EchoServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String[] OPTS = {"--timeout", "20s"};

    private EchoThreads threads;
    private Listener listener;
    private String uri;

    @BeforeEach
    void serve() {
        threads = new EchoThreads(2);
        listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.defaults());
        uri = listener.uri().toString();
        new EchoService(threads.messages(), threads.copies()).serve(listener);
    }

    @AfterEach
    void stop() {
        listener.close();
        threads.close();
    }

    @Test
    void plainFieldsComeBack() {
        assertEquals(List.of("{\"seq\":1,\"body\":\"hi\"}"), call(0, "{\"seq\":1,\"body\":\"hi\"}"));
    }

    @Test
    void aReceiverIsReadToItsEndAndReturnedAsAList() {
        assertEquals(List.of("{\"seq\":2,\"up\":[{\"n\":1},{\"n\":2},{\"n\":3}]}"),
                call(0, "{\"seq\":2,\"up\":{\"$receiver\":[{\"n\":1},{\"n\":2},{\"n\":3}]}}"));
    }

    @Test
    void subBringsAChannelOfThreeEvents() {
        assertEquals(List.of("{\"seq\":3,\"sub\":{\"$receiver\":1}}",
                "{\"$from\":1,\"message\":{\"i\":0,\"from\":\"java\"}}",
                "{\"$from\":1,\"message\":{\"i\":1,\"from\":\"java\"}}",
                "{\"$from\":1,\"message\":{\"i\":2,\"from\":\"java\"}}",
                "{\"$from\":1,\"end\":true}"),
                call(0, "{\"seq\":3,\"sub\":true}"));
    }

    @Test
    void aByteStreamIsEchoedByteForByte() {
        List<String> lines = call(0, "{\"seq\":4,\"bytes\":{\"$stream\":\"hello bytes\"}}");
        assertTrue(lines.contains("{\"$from\":1,\"data\":\"hello bytes\"}"), lines.toString());
        assertTrue(lines.contains("{\"seq\":4}"), lines.toString());
    }

    @Test
    void aSenderFieldIsGreetedAndClosed() {
        List<String> lines = call(0, "{\"seq\":5,\"back\":{\"$sender\":true}}");
        assertTrue(lines.contains("{\"seq\":5}"), lines.toString());
        assertTrue(lines.contains("{\"$from\":1,\"message\":{\"From\":\"java\",\"Field\":\"back\"}}"), lines.toString());
        assertTrue(lines.contains("{\"$from\":1,\"end\":true}"), lines.toString());
    }

    @Test
    void aKeptRetAnswersLaterMessagesInTheOrderTheyCame() {
        Transport session = Libchan.connect(listener.uri(), Settings.defaults());
        try {
            Sender channel = session.newSendChannel();
            Pipe ret = Pipe.create();
            channel.send(Map.of("n", 1, "keep", true, "ret", ret.sender()));
            assertEquals(Map.of("n", 1L, "keep", true), ret.receiver().receive(Map.class, WAIT));

            Pipe up = Pipe.buffered(2);
            Map<String, Object> waits = new LinkedHashMap<>();
            waits.put("n", 2);
            waits.put("up", up.receiver());
            channel.send(waits);
            channel.send(Map.of("n", 3)); // answered only after n=2, which waits for up to end
            up.sender().send(Map.of("x", 1));
            up.sender().close();
            assertEquals(Map.of("n", 2L, "up", List.of(Map.of("x", 1L))), ret.receiver().receive(Map.class, WAIT));
            assertEquals(Map.of("n", 3L), ret.receiver().receive(Map.class, WAIT));

            channel.close();
            assertThrows(EndOfChannelException.class, () -> ret.receiver().receive(Map.class, WAIT));
        } finally {
            session.close();
        }
    }

    @Test
    void badThreadsOptionIsABadUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"echo", "--listen", "tcp://127.0.0.1:0", "--threads", "0"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(64, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--threads"), err.toString(StandardCharsets.UTF_8));
    }

    private List<String> call(int expectedExit, String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[3 + OPTS.length];
        args[0] = "call";
        args[1] = uri;
        args[2] = json;
        System.arraycopy(OPTS, 0, args, 3, OPTS.length);
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, code, printed + err.toString(StandardCharsets.UTF_8));
        return Arrays.asList(printed.split("\n"));
    }
}
