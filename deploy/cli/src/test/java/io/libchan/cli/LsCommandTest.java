package io.libchan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Settings;
import io.libchan.gateway.Gateway;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ls URI}: one line per endpoint and target the server's directory lists for this caller. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LsCommandTest {
    private final List<AutoCloseable> closing = new java.util.ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result ls(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Listener listen() {
        Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.defaults());
        closing.add(listener);
        return listener;
    }

    @Test
    void theEchoServiceListsItsEndpoint() {
        EchoThreads threads = new EchoThreads(2);
        closing.add(threads::close);
        Listener listener = listen();
        new EchoService(threads.messages(), threads.copies()).serve(listener);
        Result r = ls("ls", listener.uri().toString());
        assertEquals(new Result(0, "endpoint echo\n", ""), r);
    }

    @Test
    void aGatewayListsTheTargetsThisCallerMayUseOneLineEachSorted() {
        Gateway gateway = Gateway.builder()
                .config(Map.of("libchan.gateway.web.target", "tcp://127.0.0.1:1",
                        "libchan.gateway.cache.target", "tcp://127.0.0.1:2",
                        "libchan.gateway.db.target", "tcp://127.0.0.1:3", "libchan.gateway.db.roles", "dba"))
                .build();
        closing.add(gateway);
        Listener listener = listen();
        gateway.serve(listener);
        // a plain tcp:// session holds no role: db is not for it, and not shown
        assertEquals(new Result(0, "target cache\ntarget web\n", ""), ls("ls", listener.uri().toString()));
    }

    @Test
    void aServerWithoutADirectoryIsAnErrorReplyAndExitOne() {
        Listener listener = listen();
        listener.acceptAsync().thenAccept(session -> session.receiveChannelAsync().thenAccept(channel ->
                channel.receiveAsync(Object.class).thenAccept(request -> Messages.replyChannel(request).orElseThrow()
                        .sendAsync(ErrorReply.of("io.libchan.cdi.UnknownEndpointException", "no endpoint 'libchan.directory'")))));
        Result r = ls("ls", listener.uri().toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().contains("UnknownEndpointException: no endpoint 'libchan.directory'"), r.err());
    }

    @Test
    void lsWithoutAUriIsBadUsage() {
        assertEquals(64, ls("ls").code());
    }
}
