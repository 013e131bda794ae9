package io.libchan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our libchan against a real jschan 0.2.1 (the v0.1.0 dialect), both ways: jschan's interop-demo
 * client against our echo service, and our {@code call} client against jschan's echo server.
 */
class JschanInteropTest {
    private static final ExecutorService POOL = Executors.newCachedThreadPool();
    private static Path keyStore;

    @BeforeAll
    static void makeKeyStore() throws Exception {
        keyStore = TestCertificates.keyStore();
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private static void jschanClientPassesAllChecks(JschanPeer.Node node, String scheme, String transport) throws Exception {
        JschanPeer.assumeInstalled(node);
        Settings settings = scheme.equals("tls")
                ? Settings.builder().keyStore(keyStore).keyStorePassword(TestCertificates.PASSWORD).build()
                : Settings.defaults();
        try (Listener listener = Libchan.listen(URI.create(scheme + "://127.0.0.1:0"), settings)) {
            new EchoService(POOL).serve(listener);
            JschanPeer.Result r = JschanPeer.run(JschanPeer.command(node, "interop-demo.js", transport,
                    Integer.toString(listener.uri().getPort())), 60);
            assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
            assertEquals(4, r.lines().stream().filter(l -> l.startsWith("PASS")).count(), String.join("\n", r.lines()));
            assertTrue(r.lines().contains("all passed"));
        }
    }

    @Test
    void jschanOnNode20TalksToOurEchoOverTcp() throws Exception {
        jschanClientPassesAllChecks(JschanPeer.Node.NODE20, "tcp", "spdy");
    }

    @Test
    void pristineJschanOnNode010TalksToOurEchoOverTcp() throws Exception {
        jschanClientPassesAllChecks(JschanPeer.Node.NODE010, "tcp", "spdy");
    }

    @Test
    void jschanOnNode20TalksToOurEchoOverTls() throws Exception {
        jschanClientPassesAllChecks(JschanPeer.Node.NODE20, "tls", "spdy-tls");
    }

    /** Runs one check of {@code interop/jschan/edges-client.js} against our echo service. */
    private static void jschanClientPassesEdgeCheck(JschanPeer.Node node, String scheme, String transport, String check)
            throws Exception {
        JschanPeer.assumeInstalled(node);
        Settings settings = scheme.equals("tls")
                ? Settings.builder().keyStore(keyStore).keyStorePassword(TestCertificates.PASSWORD).build()
                : Settings.defaults();
        try (Listener listener = Libchan.listen(URI.create(scheme + "://127.0.0.1:0"), settings)) {
            new EchoService(POOL).serve(listener);
            JschanPeer.Result r = JschanPeer.run(JschanPeer.command(node, "edges-client.js", transport,
                    Integer.toString(listener.uri().getPort()), check), 60);
            assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
            assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("PASS " + check)), String.join("\n", r.lines()));
        }
    }

    // node-spdy answers a stream we pushed with HTTP response text before the client's data

    @Test
    void jschanWritesIntoAChannelOurServerPushed() throws Exception {
        jschanClientPassesEdgeCheck(JschanPeer.Node.NODE20, "tcp", "spdy", "pushed-channel");
    }

    @Test
    void pristineJschanWritesIntoAChannelOurServerPushed() throws Exception {
        jschanClientPassesEdgeCheck(JschanPeer.Node.NODE010, "tcp", "spdy", "pushed-channel");
    }

    @Test
    void jschanWritesIntoAByteStreamOurServerPushed() throws Exception {
        jschanClientPassesEdgeCheck(JschanPeer.Node.NODE20, "tcp", "spdy", "pushed-stream");
    }

    @Test
    void pristineJschanWritesIntoAByteStreamOurServerPushed() throws Exception {
        jschanClientPassesEdgeCheck(JschanPeer.Node.NODE010, "tcp", "spdy", "pushed-stream");
    }

    @Test
    void jschanOverTlsWritesIntoAChannelOurServerPushed() throws Exception {
        jschanClientPassesEdgeCheck(JschanPeer.Node.NODE20, "tls", "spdy-tls", "pushed-channel");
    }

    // over TLS node-spdy hands jschan each record's piece of a DATA frame as a whole message

    @Test
    void jschanOverTlsGetsAReplyTooBigForOneRecordRefusedAndOneJustUnderWhole() throws Exception {
        jschanClientPassesEdgeCheck(JschanPeer.Node.NODE20, "tls", "spdy-tls", "big-reply");
    }

    @Test
    void jschanOverTlsTakesABurstOfRepliesWhole() throws Exception {
        jschanClientPassesEdgeCheck(JschanPeer.Node.NODE20, "tls", "spdy-tls", "burst");
    }

    private static List<String> call(int expectedExit, String uri, String json, String... options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[3 + options.length];
        args[0] = "call";
        args[1] = uri;
        args[2] = json;
        System.arraycopy(options, 0, args, 3, options.length);
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, code, printed + err.toString(StandardCharsets.UTF_8));
        return Arrays.asList(printed.split("\n"));
    }

    private static void ourClientPassesAllChecks(JschanPeer.Node node, String scheme, String transport, String... env) throws Exception {
        JschanPeer.assumeInstalled(node);
        try (JschanPeer.Server server = new JschanPeer.Server(node, transport, env)) {
            String uri = scheme + "://127.0.0.1:" + server.port;
            String[] opts = {"--dialect", "jschan", "--timeout", "20s", "--insecure"};
            assertEquals(List.of("{\"seq\":1,\"body\":\"hi\"}"), call(0, uri, "{\"seq\":1,\"body\":\"hi\"}", opts));
            assertEquals(List.of("{\"seq\":2,\"up\":[{\"n\":1},{\"n\":2},{\"n\":3}]}"),
                    call(0, uri, "{\"seq\":2,\"up\":{\"$receiver\":[{\"n\":1},{\"n\":2},{\"n\":3}]}}", opts));
            assertEquals(List.of("{\"seq\":3,\"sub\":{\"$receiver\":1}}",
                    "{\"$from\":1,\"message\":{\"i\":0,\"from\":\"server-sub\"}}",
                    "{\"$from\":1,\"message\":{\"i\":1,\"from\":\"server-sub\"}}",
                    "{\"$from\":1,\"message\":{\"i\":2,\"from\":\"server-sub\"}}",
                    "{\"$from\":1,\"end\":true}"),
                    call(0, uri, "{\"seq\":3,\"sub\":true}", opts));
            List<String> bytes = call(0, uri, "{\"seq\":4,\"bytes\":{\"$stream\":\"hello bytes\"}}", opts);
            assertTrue(bytes.contains("{\"$from\":1,\"data\":\"hello bytes\"}"), bytes.toString());
            assertTrue(bytes.contains("{\"seq\":4}"), bytes.toString());
        }
    }

    @Test
    void ourClientTalksToJschanOnNode20OverTcp() throws Exception {
        ourClientPassesAllChecks(JschanPeer.Node.NODE20, "tcp", "spdy");
    }

    @Test
    void ourClientTalksToPristineJschanOnNode010OverTcp() throws Exception {
        ourClientPassesAllChecks(JschanPeer.Node.NODE010, "tcp", "spdy");
    }

    @Test
    void ourClientTalksToJschanOnNode20OverTls() throws Exception {
        ourClientPassesAllChecks(JschanPeer.Node.NODE20, "tls", "spdy-tls",
                "TLS_KEY", JschanPeer.DIR.resolve("tls-key.pem").toString(),
                "TLS_CERT", JschanPeer.DIR.resolve("tls-cert.pem").toString());
    }

    /** jschan does not answer the codec offer (PROTOCOL.md section 8): a client that asked for cbor speaks msgpack. */
    @Test
    void ourClientAskingForAnotherCodecGetsMsgpackFromJschan() throws Exception {
        for (JschanPeer.Node node : JschanPeer.Node.values()) {
            JschanPeer.assumeInstalled(node);
            try (JschanPeer.Server server = new JschanPeer.Server(node, "spdy")) {
                String uri = "tcp://127.0.0.1:" + server.port;
                assertEquals(List.of("{\"seq\":1,\"body\":\"hi\"}"), call(0, uri, "{\"seq\":1,\"body\":\"hi\"}",
                        "--dialect", "jschan", "--codec", "cbor", "--timeout", "20s"), node.toString());
            }
        }
    }

    @Test
    void keyStoreExists() {
        assertTrue(Files.exists(keyStore));
    }
}
