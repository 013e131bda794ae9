package io.libchan.internal.fallback;

import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.TransportInfo;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.internal.observe.SessionObservation;
import io.opentelemetry.api.OpenTelemetry;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP/1.1 call seen as a session (PROTOCOL.md section 13.6): it carries exactly one top-level
 * channel holding exactly one message (the request body, with its reply channel in {@code ret}),
 * then ends. The server cannot open channels to an HTTP/1.1 client: {@link #newSendChannel()} fails
 * with {@link ChannelClosedException}. {@link #abort()} answers the call 503 if it was not answered
 * yet. Transport-neutral: an HTTP adapter reads the request, {@link #open opens} the call with a
 * {@link CallResponse} of its own, hands the session to the application and, while it waits,
 * {@link #expire expires} it when {@link #answered()} did not complete within its call timeout.
 * Opened with an {@link Origin}, the call reports itself to metrics and JFR as a session of
 * transport {@code http}: open from its request to its answer's end, one message (and the body's
 * bytes) received, each reply message sent. Thread-safe.
 */
public final class CallSession implements Transport {
    private final Receiver channel;
    private final Reply reply;
    private final Principal principal;
    private final AtomicBoolean taken = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final SessionObservation observed;

    /**
     * Where a call came from, for its metrics.
     *
     * @param settings where its metrics go ({@link Settings#openTelemetry()}, else the global one)
     * @param peer     the client's address ({@code host:port}), or null
     * @param listener what metrics name the server side by ({@code http://host:port}, not the path), or null
     */
    public record Origin(Settings settings, String peer, String listener) {
        /** Reported to no metrics (JFR events still are): for a call opened without an origin. */
        static final Origin NONE = new Origin(Settings.builder().openTelemetry(OpenTelemetry.noop()).build(), null, null);
    }

    /**
     * Opens a call for {@code body}: a plain reply, or with {@code events} the Server-Sent Events form,
     * written to {@code response}.
     *
     * @param name the channel name ({@code /call/{name}}, URL-decoded), or null
     * @param executor runs the pumps of nested channels in the event-stream form
     * @throws CallFailure 400 or 413 when the body is not a message the fallback can carry
     */
    public static CallSession open(JsonCodec codec, byte[] body, String name, Principal principal, boolean events,
                                   CallResponse response, Executor executor) throws CallFailure {
        return open(codec, body, name, principal, events, response, executor, Map.of());
    }

    /**
     * As {@link #open(JsonCodec, byte[], String, Principal, boolean, CallResponse, Executor)}, the
     * call's channel carrying {@code trace}: the request's W3C trace headers
     * ({@link io.libchan.internal.trace.TraceHeaders#of(String, String)}), as {@link Receiver#traceContext()}.
     */
    public static CallSession open(JsonCodec codec, byte[] body, String name, Principal principal, boolean events,
                                   CallResponse response, Executor executor, Map<String, String> trace) throws CallFailure {
        return open(codec, body, name, principal, events, response, executor, trace, Origin.NONE);
    }

    /**
     * As {@link #open(JsonCodec, byte[], String, Principal, boolean, CallResponse, Executor, Map)}, the
     * call counted in the metrics of {@code origin} as a session of transport {@code http}.
     */
    public static CallSession open(JsonCodec codec, byte[] body, String name, Principal principal, boolean events,
                                   CallResponse response, Executor executor, Map<String, String> trace, Origin origin)
            throws CallFailure {
        Map<String, Object> message = CallMessages.parse(codec, body);
        AtomicBoolean over = new AtomicBoolean();
        // one channel open (the request's, with its reply) until the answer has ended
        SessionObservation observed = SessionObservation.httpCall(origin.settings(), origin.peer(), () -> over.get() ? 0 : 1);
        CallResponse counted = new CountingResponse(response, observed);
        Reply reply = events ? new EventStream(codec, counted, executor).reply() : new JsonReply(codec, counted);
        message.put("ret", reply);
        CallSession call = new CallSession(name, message, reply, principal, trace, observed);
        observed.started(origin.listener());
        observed.bytesReceived(body.length);
        observed.messageReceived(body.length);
        reply.finished().whenComplete((done, error) -> {
            over.set(true);
            observed.ended(null);
        });
        return call;
    }

    private CallSession(String name, Map<String, Object> message, Reply reply, Principal principal, Map<String, String> trace,
                        SessionObservation observed) {
        Pipe pipe = Pipe.buffered(1);
        pipe.sender().send(message);
        pipe.sender().close();
        this.channel = new NamedReceiver(pipe.receiver(), name, trace);
        this.reply = reply;
        this.principal = principal;
        this.observed = observed;
        reply.finished().whenComplete((done, error) -> {
            if (aborted.get()) {
                closed.completeExceptionally(new ConnectionLostException("session aborted"));
            } else {
                closed.complete(null);
            }
        });
    }

    @Override
    public Sender newSendChannel() {
        throw new ChannelClosedException("an HTTP/1.1 call cannot open channels to its client: use HTTP/2 or WebSocket");
    }

    @Override
    public Sender newSendChannel(String name) {
        return newSendChannel();
    }

    @Override
    public Receiver waitReceiveChannel() {
        if (taken.compareAndSet(false, true)) {
            return channel;
        }
        throw new ChannelClosedException("session closed: an HTTP/1.1 call carries one channel");
    }

    @Override
    public Receiver waitReceiveChannel(Duration timeout) {
        return waitReceiveChannel();
    }

    @Override
    public CompletableFuture<Receiver> receiveChannelAsync() {
        try {
            return CompletableFuture.completedFuture(waitReceiveChannel());
        } catch (ChannelClosedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Optional<Principal> peerPrincipal() {
        return Optional.ofNullable(principal);
    }

    /** Transport {@code http}, the client's address if the adapter told it, one message received, the replies sent. */
    @Override
    public TransportInfo info() {
        return observed.info();
    }

    @Override
    public boolean isOpen() {
        return !reply.finished().isDone();
    }

    /** Completes once the call has ended: normally when its answer is complete, failed when it was aborted. */
    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Completes once the answer has started (or ended): the call timeout no longer applies. */
    public CompletableFuture<Void> answered() {
        return reply.answered();
    }

    /** Completes once the answer is complete (or the call was abandoned). */
    public CompletableFuture<Void> finished() {
        return reply.finished();
    }

    /** No answer within {@code after}: answers 504 unless an answer has started. */
    public void expire(Duration after) {
        reply.expire(after);
    }

    /** Graceful: the call still ends when its reply does. */
    @Override
    public void close() {
        taken.set(true);
    }

    @Override
    public void abort() {
        taken.set(true);
        aborted.set(true);
        channel.close();
        reply.abandon();
    }

    @Override
    public String toString() {
        return "CallSession(" + channel.channelName().orElse("") + ")";
    }

    /** The call's channel, named after the path ({@code /call/{name}}). */
    private static final class NamedReceiver implements Receiver {
        private final Receiver delegate;
        private final String name;
        private final Map<String, String> trace;

        NamedReceiver(Receiver delegate, String name, Map<String, String> trace) {
            this.delegate = delegate;
            this.name = name;
            this.trace = trace;
        }

        @Override
        public Map<String, String> traceContext() {
            return trace;
        }

        @Override
        public Object receive() {
            return delegate.receive();
        }

        @Override
        public <T> T receive(Class<T> type) {
            return delegate.receive(type);
        }

        @Override
        public <T> T receive(Class<T> type, Duration timeout) {
            return delegate.receive(type, timeout);
        }

        @Override
        public <T> java.util.concurrent.CompletableFuture<T> receiveAsync(Class<T> type) {
            return delegate.receiveAsync(type);
        }

        @Override
        public <T> Flow.Publisher<T> publisher(Class<T> type, Executor executor) {
            return delegate.publisher(type, executor);
        }

        @Override
        public Optional<String> channelName() {
            return Optional.ofNullable(name);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
