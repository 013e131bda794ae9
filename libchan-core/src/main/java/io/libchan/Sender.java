package io.libchan;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The sending end of a channel, like a Go {@code chan<-}.
 *
 * <p>A message is a record, a POJO, a {@code Map} or a scalar. Any field, at any depth, whose value
 * is a {@link Sender}, {@link Receiver}, {@link ByteStream}, {@code InputStream} or
 * {@code OutputStream} travels as a <em>nested reference</em>: the receiver gets a live channel or
 * stream connected to the one in the message (over a network, a new stream of the same session).
 *
 * <p><b>When send returns.</b> On an unbuffered in-memory pipe, once a receiver has taken the
 * message (a rendezvous, as in Go); on a buffered pipe, once it is in the buffer; over a network,
 * once the message is handed to the connection: written, or queued behind writes in progress
 * (a stream of sends is written a few frames at a time); the peer's flow-control window and a
 * congested connection make it wait. There is no acknowledgement from the far application: a
 * message in flight when a connection dies may be lost, and every later send fails. Messages on
 * one channel arrive in the order they were sent.
 *
 * <p><b>Thread-safety.</b> All methods may be called from any thread; concurrent sends are each
 * delivered whole, in some order. Blocking methods park the calling thread (cheap on virtual
 * threads) and honour interruption with {@link ChannelInterruptedException}.
 *
 * <p><b>Errors.</b> {@link ChannelClosedException} after {@link #close()} or once the receiving
 * side went away; {@link ConnectionLostException} when the session died;
 * {@link MessageTooLargeException} when the message is over the peer's or our limit (nothing was
 * sent); {@link ChannelTimeoutException} when a deadline passes (nothing was sent).
 */
public interface Sender extends AutoCloseable {

    /** Sends one message, blocking without a deadline until it is handed over (see the class doc). */
    void send(Object message);

    /**
     * Sends one message, blocking at most {@code timeout}. On timeout the message is withdrawn and
     * will never be delivered.
     */
    void send(Object message, Duration timeout);

    /**
     * Sends without blocking the caller. The future completes when a blocking send would have
     * returned, or exceptionally with the exception it would have thrown. Cancelling the future
     * before then withdraws the message. Over a network the message is written at once, on the
     * calling thread, when nothing would make it wait (the future is then already complete);
     * otherwise it waits in this sender's queue, holding no thread, and goes out in order behind
     * the sender's earlier asynchronous sends. So a callback on a connection's I/O thread (a
     * direct-executor subscription) may call it.
     */
    CompletableFuture<Void> sendAsync(Object message);

    /**
     * The W3C trace context the peer sent when it opened this channel (PROTOCOL.md section 8): the
     * values of its {@code traceparent} and {@code tracestate} headers, under those names, as they
     * came (unchecked: extract them with a W3C propagator, which ignores malformed ones). A reply
     * channel carries the trace of the request that gave it. Empty when the peer sent none (no
     * trace on its side, Go, jschan), for channels this side opened, and in memory.
     */
    default java.util.Map<String, String> traceContext() {
        return java.util.Map.of();
    }

    /**
     * Ends the channel: the receiver gets every message sent before, then end-of-channel. Sends
     * already blocked when close is called still deliver. Idempotent; never throws.
     */
    @Override
    void close();
}
