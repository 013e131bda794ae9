package io.libchan.example.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.libchan.BytePipe;
import io.libchan.ByteStream;
import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client session caught in the middle of its work when the server stops: an echo channel it is
 * still sending on, a watch of the pool's board (a reply channel the server keeps open and sends
 * on), and optionally a byte stream the server is echoing and that neither side has closed.
 * {@link #assertEndedCleanly()} then checks what the client sees once the server has stopped.
 *
 * <p>The byte stream is optional because a server can only half-close it (libchan has no reset for
 * a byte stream): the client's half stays open. Over {@code tcp://} the server's session still
 * ends at once; over the HTTP transports it waits for that half until its drain timeout and then
 * cuts the connection, which the client sees as {@link io.libchan.ConnectionLostException}.
 */
public final class OpenClientSession implements AutoCloseable {
    private final Transport session;
    private final Sender channel;
    private ByteStream bytes; // null without one
    private final Pipe board = Pipe.create();

    private OpenClientSession(String uri, boolean withByteStream) {
        session = Libchan.connect(uri);
        channel = session.newSendChannel();
        Pipe ret = Pipe.create();
        channel.send(EchoClientChecks.message("seq", 1L, "ret", ret.sender()), EchoClientChecks.WAIT);
        assertEquals(Map.of("seq", 1L), ret.receiver().receive(Map.class, EchoClientChecks.WAIT));

        session.newSendChannel("board").send(Map.of("ret", board.sender()), EchoClientChecks.WAIT);
        board.receiver().receive(Map.class, EchoClientChecks.WAIT); // the first snapshot: the watch is on
        if (!withByteStream) {
            bytes = null;
            return;
        }
        BytePipe pipe = BytePipe.create();
        bytes = pipe.local();
        channel.send(EchoClientChecks.message("seq", 2L, "bytes", pipe.remote()), EchoClientChecks.WAIT);
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        assertTimeoutPreemptively(EchoClientChecks.WAIT, () -> {
            OutputStream out = bytes.output();
            out.write(ping);
            out.flush();
            assertArrayEquals(ping, bytes.input().readNBytes(ping.length));
        });
    }

    /** Connects to the example's server at {@code uri} and sets up the work described above, byte stream included. */
    public static OpenClientSession open(String uri) {
        return new OpenClientSession(uri, true);
    }

    /** As {@link #open(String)}, without the byte stream. */
    public static OpenClientSession openWithoutByteStream(String uri) {
        return new OpenClientSession(uri, false);
    }

    /**
     * What the client sees after the server stopped: the board's reply channel ends
     * ({@link EndOfChannelException}: the server closed it), the byte stream (if any) reaches its end (the
     * server closed its side), the echo channel refuses sends ({@link ChannelClosedException}: the
     * server closed it), and the session takes no new channel ({@link ChannelClosedException}: the
     * server said GOAWAY), can open no new channel either, and is no longer open. None of them is a
     * {@link io.libchan.ConnectionLostException}.
     */
    public void assertEndedCleanly() throws IOException {
        assertThrows(EndOfChannelException.class, () -> {
            while (true) {
                board.receiver().receive(Map.class, EchoClientChecks.WAIT); // snapshots sent before the end
            }
        });
        if (bytes != null) {
            assertEquals(-1, assertTimeoutPreemptively(EchoClientChecks.WAIT, () -> bytes.input().read()));
        }
        assertThrows(ChannelClosedException.class, () -> channel.send(Map.of("seq", 3L), EchoClientChecks.WAIT));
        assertThrows(ChannelClosedException.class, () -> session.waitReceiveChannel(EchoClientChecks.WAIT));
        assertThrows(ChannelClosedException.class, session::newSendChannel);
        assertFalse(session.isOpen());
    }

    /**
     * What a client sees after a server that had to stop: its session ends (within {@code safety}, a
     * net for a session that never does), cleanly or with a {@link ConnectionLostException}
     * (a server can only half-close a byte stream: one whose client half stays open is cut once the
     * server's drain timeout passed), and the byte stream (if any) ends or fails rather than blocking.
     */
    public void assertEnded(Duration safety) throws Exception {
        try {
            session.closeFuture().get(safety.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException ended) {
            assertInstanceOf(ConnectionLostException.class, ended.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the session is still open " + safety + " after the server stopped", e);
        }
        assertFalse(session.isOpen());
        if (bytes != null) {
            assertTimeoutPreemptively(EchoClientChecks.WAIT, () -> {
                try {
                    while (bytes.input().read() >= 0) {
                        // what was echoed before the end
                    }
                } catch (IOException | ConnectionLostException lost) {
                    // the connection was cut under it: an end too
                }
            });
        }
    }

    @Override
    public void close() {
        if (bytes != null) {
            bytes.close();
        }
        session.abort();
    }
}
