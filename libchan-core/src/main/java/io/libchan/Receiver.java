package io.libchan;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * The receiving end of a channel, like a Go {@code <-chan}.
 *
 * <p><b>Typed and untyped receive.</b> {@link #receive(Class)} converts each message into the
 * type asked for (a record, POJO, {@code Map}...); {@link #receive()} returns it untyped: over a
 * network as {@code Map<String,Object>}, {@code List}, {@code String}, {@code Long} (or
 * {@code BigInteger} past 2^63-1), {@code Double}, {@code Boolean}, {@code byte[]},
 * {@link java.time.Instant}, {@code null}, and {@link Sender}/{@link Receiver}/{@link ByteStream}
 * for nested references; in memory as the very object that was sent. A message that does not fit
 * the requested type raises {@link MessageTypeException}, which carries the message, so nothing
 * is lost.
 *
 * <p><b>End and failure.</b> After the sender closes and every earlier message was received,
 * receive throws {@link EndOfChannelException}. A failure is distinct: {@link ConnectionLostException},
 * {@link ProtocolException}, {@link MessageTooLargeException}.
 *
 * <p><b>Competing receivers.</b> Several threads (or subscribers) may receive from one channel;
 * each message goes to exactly one of them.
 *
 * <p><b>Push style.</b> {@link #publisher(Class, Executor)} and {@link #subscribe} deliver messages
 * to a callback on an executor, so a container can serve a channel without parking a thread on it.
 * A direct executor ({@code Runnable::run}) runs the callback on the thread that delivers the
 * message: for a network channel, the connection's reader, which over HTTP/2 is the server's or
 * client's I/O thread, shared with other connections. Such a callback must return
 * quickly and never block (as with grpc-java's {@code directExecutor()}); anything slower belongs
 * on a real executor. The same holds for callbacks chained on {@link #receiveAsync} futures.
 *
 * <p>Thread-safe. Blocking methods park the calling thread (cheap on virtual threads) and honour
 * interruption with {@link ChannelInterruptedException}; a timed-out or interrupted receive takes
 * nothing off the channel. Over {@code tcp://} to a Java peer, a platform thread blocked in a
 * receive may read the connection for its session while it waits (so its reply wakes it with no
 * hand-off; thread dumps show it in a socket read); it only ever wakes other blocked receivers,
 * never runs callbacks, and leaves the connection to the session's reader when its wait ends.
 */
public interface Receiver extends AutoCloseable {

    /** Receives the next message in its untyped form, blocking without a deadline. */
    Object receive();

    /** Receives the next message converted to {@code type}, blocking without a deadline. */
    <T> T receive(Class<T> type);

    /** Receives the next message converted to {@code type}, blocking at most {@code timeout}. */
    <T> T receive(Class<T> type, Duration timeout);

    /**
     * Receives the next message without blocking the caller. Cancelling the future before it
     * completes withdraws the request: no message is taken for it.
     */
    <T> CompletableFuture<T> receiveAsync(Class<T> type);

    /**
     * A publisher of this channel's messages converted to {@code type}; each subscriber competes
     * with other receivers for messages, takes only as many as it requested, and is called on
     * {@code executor}, one signal at a time. End-of-channel is {@code onComplete}; failures are
     * {@code onError}. Messages taken but not yet delivered when a subscriber cancels go back to
     * the channel, so none is lost.
     */
    <T> Flow.Publisher<T> publisher(Class<T> type, Executor executor);

    /**
     * Calls {@code listener} for every message, on {@code executor}, one at a time, until the
     * channel ends or fails or the returned handle is closed.
     */
    default <T> AutoCloseable subscribe(Class<T> type, Executor executor, MessageListener<T> listener) {
        ListenerSubscriber<T> subscriber = new ListenerSubscriber<>(listener);
        publisher(type, executor).subscribe(subscriber);
        return subscriber;
    }

    /**
     * The endpoint name the peer gave this channel when it opened it as a top-level channel
     * ({@link Transport#newSendChannel(String)}); empty for unnamed and nested channels.
     */
    default java.util.Optional<String> channelName() {
        return java.util.Optional.empty();
    }

    /**
     * The bearer token the peer presented when it opened this channel: the {@code authorization:
     * Bearer <token>} header of a top-level channel's SYN_STREAM (PROTOCOL.md section 4.6); empty
     * when it sent none, and for nested channels and transports without headers.
     */
    default java.util.Optional<String> bearerToken() {
        return java.util.Optional.empty();
    }

    /**
     * The W3C trace context the peer sent when it opened this channel (PROTOCOL.md section 8): the
     * values of its {@code traceparent} and {@code tracestate} headers, under those names, as they
     * came (unchecked: extract them with a W3C propagator, which ignores malformed ones); for an
     * HTTP/1.1 call, those of its request. Empty when the peer sent none (no trace on its side, Go,
     * jschan), for channels this side opened, and in memory.
     */
    default java.util.Map<String, String> traceContext() {
        return java.util.Map.of();
    }

    /**
     * Stops receiving. Messages not yet received are dropped; the sender's later sends fail with
     * {@link ChannelClosedException}; blocked receives fail the same way. Idempotent.
     */
    @Override
    void close();
}
