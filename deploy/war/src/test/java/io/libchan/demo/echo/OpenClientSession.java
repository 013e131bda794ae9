package io.libchan.demo.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.libchan.BytePipe;
import io.libchan.ByteStream;
import io.libchan.ChannelClosedException;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A client session caught in the middle of its work when the server stops: a top-level channel it
 * is still sending on, a reply channel the server keeps open for it ({@code keep: true}), and a byte
 * stream the server is echoing and that neither side has closed. {@link #assertEndedCleanly()} then
 * checks what the client sees once the server has stopped.
 */
public final class OpenClientSession implements AutoCloseable {
    private final Transport session;
    private final Sender channel;
    private final Pipe kept = Pipe.create();
    private final ByteStream bytes;

    private OpenClientSession(String uri) {
        session = Libchan.connect(uri);
        channel = session.newSendChannel();
        channel.send(EchoClientChecks.message("seq", 1L, "keep", true, "ret", kept.sender()), EchoClientChecks.WAIT);
        assertEquals(Map.of("seq", 1L, "keep", true), kept.receiver().receive(Map.class, EchoClientChecks.WAIT));

        BytePipe pipe = BytePipe.create();
        bytes = pipe.local();
        channel.send(EchoClientChecks.message("seq", 2L, "bytes", pipe.remote()), EchoClientChecks.WAIT);
        assertEquals(Map.of("seq", 2L), kept.receiver().receive(Map.class, EchoClientChecks.WAIT));
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        assertTimeoutPreemptively(EchoClientChecks.WAIT, () -> {
            OutputStream out = bytes.output();
            out.write(ping);
            out.flush();
            assertArrayEquals(ping, bytes.input().readNBytes(ping.length));
        });
    }

    /** Connects to the echo service at {@code uri} and sets up the work described above. */
    public static OpenClientSession open(String uri) {
        return new OpenClientSession(uri);
    }

    /**
     * What the client sees after the server stopped: the kept reply channel ends
     * ({@link EndOfChannelException}: the server closed it), the byte stream reaches its end (the
     * server closed its side), the top-level channel refuses sends ({@link ChannelClosedException}:
     * the server reset it), and the session takes no new channel ({@link ChannelClosedException}: the
     * server said GOAWAY), can open no new channel either, and is no longer open. None of them is a {@link io.libchan.ConnectionLostException}.
     */
    public void assertEndedCleanly() throws IOException {
        assertThrows(EndOfChannelException.class, () -> kept.receiver().receive(Map.class, EchoClientChecks.WAIT));
        assertEquals(-1, assertTimeoutPreemptively(EchoClientChecks.WAIT, () -> bytes.input().read()));
        assertThrows(ChannelClosedException.class, () -> channel.send(Map.of("seq", 3L), EchoClientChecks.WAIT));
        assertThrows(ChannelClosedException.class, () -> session.waitReceiveChannel(EchoClientChecks.WAIT));
        assertThrows(ChannelClosedException.class, session::newSendChannel);
        assertFalse(session.isOpen());
    }

    @Override
    public void close() {
        bytes.close();
        session.abort();
    }
}
