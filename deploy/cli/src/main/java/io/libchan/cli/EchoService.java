package io.libchan.cli;

import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.Directory;
import io.libchan.Listener;
import io.libchan.Transport;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The echo protocol that every libchan peer in our tests serves, the same in both dialects
 * (README, "The CLI"); {@code interop/jschan/echo-server.js} implements it for jschan. For each
 * message on a top-level channel: reply on its {@code ret} (any case) with its plain fields; a
 * {@code Receiver} field is read to its end and its messages are returned as a list under the same
 * key; a byte-stream field is echoed byte for byte, then closed; {@code sub: true} makes a new
 * channel sent back as {@code sub}, carrying {@code {i, from: "java"}} three times; any other
 * {@code Sender} field gets {@code {"From": "java", "Field": name}} and is closed. {@code ret} is
 * closed after the reply unless {@code keep} is true: then later messages without a {@code ret}
 * are answered on it. A failure is answered with an error reply. A channel named
 * {@code libchan.directory} is the directory ({@link Directory}): it lists the endpoint {@code echo}.
 *
 * <p><b>Threads.</b> Nothing waits on an idle listener, session or channel: sessions and channels
 * are taken with {@code acceptAsync}/{@code receiveChannelAsync}, messages of channels and nested
 * Receivers are pushed ({@code Receiver.publisher}) to tasks on {@code executor}, so the number of
 * threads serving does not grow with sessions or channels. A task there blocks at most while a
 * reply is handed to the connection. Byte streams, blocking-only, are copied on {@code copies},
 * each holding one of its threads until the peer ends the stream. Thread-safe.
 */
public final class EchoService {
    private static final Logger LOG = Logger.getLogger(EchoService.class.getName());
    /** What the directory lists: the echo protocol answers on any channel, "echo" names it. */
    private static final Directory.Listing LISTING = Directory.Listing.of(Set.of("echo"), Set.of());
    private final Executor executor;
    private final EchoAnswers answers;

    /**
     * @param executor serves sessions, channels and messages; best bounded ({@link EchoThreads})
     * @param copies copies byte streams, a task per stream for as long as it is open
     */
    public EchoService(Executor executor, Executor copies) {
        this.executor = executor;
        this.answers = new EchoAnswers(executor, copies);
    }

    /** As {@link #EchoService(Executor, Executor)}, copying byte streams on {@code executor} too. */
    public EchoService(Executor executor) {
        this(executor, executor);
    }

    /**
     * Serves every session the listener accepts, from now until it closes; never blocks. The future
     * completes once the listener is closed (exceptionally if accepting failed otherwise).
     */
    public CompletableFuture<Void> serve(Listener listener) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        AsyncLoop.run(listener::acceptAsync, executor, this::serve).whenComplete((none, e) -> {
            if (e instanceof ChannelClosedException) {
                closed.complete(null);
            } else {
                LOG.log(Level.WARNING, "accepting on " + listener.uri() + " failed", e);
                closed.completeExceptionally(e);
            }
        });
        return closed;
    }

    /**
     * Serves every top-level channel the peer opens on {@code session} until it ends; never blocks.
     * The future completes when the session has ended, however it ended.
     */
    public CompletableFuture<Void> serve(Transport session) {
        return AsyncLoop.run(session::receiveChannelAsync, executor, channel -> {
            if (channel.channelName().equals(Optional.of(Directory.CHANNEL))) {
                Directory.serve(channel, executor, () -> LISTING);
            } else {
                new EchoChannel(channel, answers).start(executor);
            }
        }).exceptionally(e -> {
                    if (e instanceof ChannelClosedException || e instanceof ConnectionLostException) {
                        LOG.fine(() -> "session ended: " + e.getMessage());
                    } else {
                        LOG.log(Level.FINE, "session failed", e);
                        session.abort();
                    }
                    return null;
                });
    }
}
