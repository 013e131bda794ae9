package io.libchan.internal.observe;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.TransportInfo;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * What one session reports about itself: its counters (read by {@link #info()} and, summed over
 * every live session, by the asynchronous instruments of {@link LibchanMetrics}), and its rare
 * events (protocol errors, refused messages, its start and end) to metrics and JFR.
 *
 * <p>The hot path only adds to {@link LongAdder}s (and records the message size histogram through
 * {@link MessageSizes} when there are metrics): no OpenTelemetry call per frame. Thread-safe.
 */
public final class SessionObservation {
    static final int MESSAGES_SENT = 0;
    static final int MESSAGES_RECEIVED = 1;
    static final int BYTES_SENT = 2;
    static final int BYTES_RECEIVED = 3;
    static final int STREAM_BYTES_SENT = 4;
    static final int STREAM_BYTES_RECEIVED = 5;
    static final int COUNTERS = 6;

    private final LongAdder[] counts = new LongAdder[COUNTERS];
    private final String transport;
    private final String peer; // null in memory
    private final IntSupplier openChannels;
    private final LibchanMetrics metrics; // null: no metrics
    private final long startNanos = System.nanoTime();
    private volatile Dialect dialect;
    private volatile SessionAttributes attributes; // set by start()
    private volatile MessageSizes messageSizes; // set by start() when there are metrics
    private volatile boolean started;
    private volatile boolean ended;

    private SessionObservation(String transport, String peer, IntSupplier openChannels, LibchanMetrics metrics) {
        for (int i = 0; i < COUNTERS; i++) {
            counts[i] = new LongAdder();
        }
        this.transport = transport;
        this.peer = peer;
        this.openChannels = openChannels;
        this.metrics = metrics;
    }

    /**
     * @param description the wire's {@code describe()}: {@code scheme://peer...}, the scheme being the
     *                    transport's name
     */
    public static SessionObservation of(Settings settings, String description, IntSupplier openChannels) {
        return new SessionObservation(Peers.transportOf(description), Peers.peerOf(description), openChannels,
                Telemetry.metrics(settings));
    }

    /** A session without a wire (in memory): transport {@code inmem}, no peer address. */
    public static SessionObservation inMemory(Settings settings, IntSupplier openChannels) {
        return new SessionObservation("inmem", null, openChannels, Telemetry.metrics(settings));
    }

    /**
     * One call of the HTTP/1.1 fallback (PROTOCOL.md 13.6), transport {@code http}.
     *
     * @param peer the client's address ({@code host:port}), or null when the adapter cannot tell
     */
    public static SessionObservation httpCall(Settings settings, String peer, IntSupplier openChannels) {
        return new SessionObservation("http", peer, openChannels, Telemetry.metrics(settings));
    }

    /** The session starts: counted open (under {@code listener}'s URI, null for a client), and a JFR event. Once. */
    public void started(String listener) {
        if (started) {
            return;
        }
        attributes = SessionAttributes.of(transport, listener);
        started = true;
        if (metrics != null) {
            messageSizes = metrics.messageSizes(attributes);
            metrics.register(this);
        }
        LibchanEvents.sessionOpened(this);
    }

    /** The session ended; {@code failure} null for a clean end. Once. */
    public void ended(Throwable failure) {
        if (ended || !started) {
            return;
        }
        ended = true;
        if (metrics != null) {
            metrics.retire(this);
        }
        LibchanEvents.sessionClosed(this, failure);
    }

    public void dialect(Dialect d) {
        dialect = d;
        if (metrics != null && started) {
            metrics.gaugeSeen(this); // its gauge series, under the dialect, for MetricTap
        }
    }

    public void messageSent(int bytes) {
        counts[MESSAGES_SENT].increment();
        MessageSizes sizes = messageSizes;
        if (sizes != null) {
            sizes.sent(bytes);
        }
    }

    public void messageReceived(int bytes) {
        counts[MESSAGES_RECEIVED].increment();
        MessageSizes sizes = messageSizes;
        if (sizes != null) {
            sizes.received(bytes);
        }
    }

    /** A message handed over as an object (in memory): counted, no size to record. */
    public void messageSent() {
        counts[MESSAGES_SENT].increment();
    }

    /** A message taken over as an object (in memory): counted, no size to record. */
    public void messageReceived() {
        counts[MESSAGES_RECEIVED].increment();
    }

    /** Where the frame writer adds the bytes it writes. */
    public LongAdder bytesSent() {
        return counts[BYTES_SENT];
    }

    public void bytesReceived(int n) {
        counts[BYTES_RECEIVED].add(n);
    }

    public void streamBytesSent(int n) {
        counts[STREAM_BYTES_SENT].add(n);
    }

    public void streamBytesReceived(int n) {
        counts[STREAM_BYTES_RECEIVED].add(n);
    }

    /**
     * The peer broke the protocol.
     *
     * @param type  what kind of error, the SPDY status the session answers with (e.g. {@code PROTOCOL_ERROR})
     * @param scope {@code session} (GOAWAY, the session ends) or {@code stream} (one stream is reset)
     */
    public void protocolError(String type, String scope, String message) {
        if (metrics != null) {
            metrics.protocolError(type, scope, attributesOrClient());
        }
        LibchanEvents.protocolError(this, type, scope, message);
    }

    /**
     * A message from the peer was refused (its channel fails, the stream is reset).
     *
     * @param reason {@code too_large}, {@code over_budget} or {@code malformed}
     */
    public void messageRefused(String reason, String message) {
        if (metrics != null) {
            metrics.messageRefused(reason, attributesOrClient());
        }
        LibchanEvents.messageRefused(this, reason, message);
    }

    private SessionAttributes attributesOrClient() {
        SessionAttributes a = attributes;
        return a != null ? a : SessionAttributes.of(transport, null);
    }

    public TransportInfo info() {
        return new TransportInfo(transport, Optional.ofNullable(peer), Optional.ofNullable(dialect),
                count(MESSAGES_SENT), count(MESSAGES_RECEIVED), count(BYTES_SENT), count(BYTES_RECEIVED),
                Math.max(0, openChannels.getAsInt()));
    }

    long count(int which) {
        return counts[which].sum();
    }

    int openChannels() {
        return Math.max(0, openChannels.getAsInt());
    }

    SessionAttributes attributes() {
        return attributes;
    }

    String transport() {
        return transport;
    }

    String peer() {
        return peer;
    }

    Dialect dialectOrNull() {
        return dialect;
    }

    String listener() {
        SessionAttributes a = attributes;
        return a == null ? null : a.listener();
    }

    long startNanos() {
        return startNanos;
    }
}
