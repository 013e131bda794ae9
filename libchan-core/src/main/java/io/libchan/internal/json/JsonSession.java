package io.libchan.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.libchan.BytePipe;
import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.LibchanException;
import io.libchan.ProtocolException;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.bytes.PipedByteStream;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.QueueReceiver;
import io.libchan.internal.session.SessionThreads;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.lang.System.Logger.Level;

/**
 * A libchan session in the {@code libchan.json} framing (PROTOCOL.md section 13): JSON text frames that
 * address channels and byte streams by id, for browsers, which cannot do SPDY's zlib with a preset
 * dictionary. Messages are JSON with the forms of {@link io.libchan.internal.codec.json.JsonForms}.
 * Ids: the client creates odd ids, the server even ones. Every channel has its own credit window
 * ({@value JsonFrames#CHANNEL_WINDOW} messages, {@value JsonFrames#STREAM_WINDOW} bytes on a byte
 * stream), so a slow reader stalls only its own writer.
 *
 * <p>The transport pushes each received frame to {@link #onFrame} from one thread at a time, in
 * order, and must not deliver the next one before the call returns; {@link #onFrame} never blocks
 * on the application. Lifecycle as {@link Transport}: {@link #close()} sends {@code goaway} and
 * closes once the open channels end (or the drain timeout passes); {@link #abort()} and a broken
 * connection fail every channel with {@link ConnectionLostException}; a protocol error sends
 * {@code error} and fails them with {@link ProtocolException}.
 */
public final class JsonSession implements Transport, io.libchan.internal.transport.Draining {
    private static final System.Logger LOG = System.getLogger(JsonSession.class.getName());

    private enum State { OPEN, CLOSING, DONE }

    private final JsonWire wire;
    private final boolean server;
    private final Settings settings;
    private final Executor executor;
    private final JsonCodec codec;
    private final ObjectMapper frames;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<Long, Object> channels = new ConcurrentHashMap<>();
    private final AtomicLong nextId;
    private final ChannelQueue accepted = new ChannelQueue(0);
    private volatile State state = State.OPEN;
    private volatile boolean goAwayReceived;
    /** {@link System#nanoTime()} when {@link #close()} started the drain timer; 0 before. */
    private volatile long drainStarted;
    private volatile LibchanException failure;
    /** {@link #abort()} ended it: our own doing, not a failure to log. */
    private volatile boolean aborted;
    private final java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
    /** Counters, metrics and JFR events; bytes are the characters of the text frames. */
    private final io.libchan.internal.observe.SessionObservation observed;

    private JsonSession(JsonWire wire, boolean server, Settings settings, Executor executor, String listener) {
        this.wire = wire;
        this.server = server;
        this.settings = settings;
        this.executor = executor;
        this.codec = new JsonCodec(settings);
        this.frames = new ObjectMapper(io.libchan.internal.codec.NoThreadLocals.pooled(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(settings.maxNestingDepth() + 2)
                        .maxStringLength(settings.maxMessageBytes() * 2)
                        .maxDocumentLength(settings.maxMessageBytes() * 2L + 1024)
                        .build())
                .build()));
        this.nextId = new AtomicLong(server ? 2 : 1);
        this.observed = io.libchan.internal.observe.SessionObservation.of(settings, wire.describe(), channels::size);
        observed.started(listener);
    }

    /** A server session over {@code wire}; the caller starts feeding frames after this returns. */
    public static JsonSession server(JsonWire wire, Settings settings, Executor executor) {
        return server(wire, settings, executor, null);
    }

    /**
     * As {@link #server(JsonWire, Settings, Executor)}, its metrics under {@code listener}: what
     * names the server side ({@code ws://host:port}, this side's address, not the path).
     */
    public static JsonSession server(JsonWire wire, Settings settings, Executor executor, String listener) {
        return new JsonSession(wire, true, settings, executor, listener);
    }

    public static JsonSession client(JsonWire wire, Settings settings) {
        return new JsonSession(wire, false, settings, SessionThreads.executor(settings), null);
    }

    /** The largest frame a peer may send: a message at the limit, base64 or escaped, with room to spare. */
    public static long maxFrameChars(Settings settings) {
        return settings.maxMessageBytes() * 2L + 1024;
    }

    // ================================================================== used by the channels

    Executor executor() {
        return executor;
    }

    JsonCodec codec() {
        return codec;
    }

    long newId() {
        return nextId.getAndAdd(2);
    }

    InboundChannel registerInbound(long id, String name) {
        return registerInbound(id, name, Map.of());
    }

    /** @param trace the trace context its {@code open} frame carried, as {@link io.libchan.Receiver#traceContext()} */
    InboundChannel registerInbound(long id, String name, Map<String, String> trace) {
        InboundChannel c = new InboundChannel(this, id, name, trace);
        channels.put(id, c);
        return c;
    }

    OutboundChannel registerOutbound(long id) {
        OutboundChannel c = new OutboundChannel(this, id);
        channels.put(id, c);
        return c;
    }

    StreamBridge registerStream(long id, java.io.InputStream from, java.io.OutputStream to) {
        StreamBridge b = new StreamBridge(this, id, from, to);
        channels.put(id, b);
        return b;
    }

    /** A byte stream spliced onto {@code end} of an in-memory pipe (see {@link StreamBridge}). */
    StreamBridge registerStream(long id, PipedByteStream end) {
        StreamBridge b = new StreamBridge(this, id, end);
        channels.put(id, b);
        return b;
    }

    /** A reference that was never sent. */
    void forget(long id) {
        channels.remove(id);
    }

    /** {@code channel} is done with; the session may now end if it is closing. */
    void retire(long id, Object channel) {
        if (channels.remove(id, channel) && channels.isEmpty() && (state == State.CLOSING || goAwayReceived)) {
            end(null);
        }
    }

    void checkOpen() {
        LibchanException f = failure;
        if (f != null) {
            throw f;
        }
    }

    /** Writes one frame, blocking until the connection took it. */
    void send(String frame) {
        writeLock.lock();
        try {
            checkOpen();
            wire.send(frame);
            observed.bytesSent().add(frame.length());
        } catch (IOException e) {
            ConnectionLostException lost = new ConnectionLostException("connection lost (" + wire.describe() + "): " + e.getMessage(), e);
            end(lost);
            throw lost;
        } finally {
            writeLock.unlock();
        }
    }

    /** {@link #send} for a {@code msg} frame, counted a message. */
    void sendMessage(String frame) {
        send(frame);
        observed.messageSent(frame.length());
    }

    /** As {@link #send} but ignoring a dead session (for closes, credits, cancels). */
    void sendQuietly(String frame) {
        try {
            send(frame);
        } catch (LibchanException e) {
            // the session is gone: nobody to tell
        }
    }

    private void sendSoon(String frame) {
        executor.execute(() -> sendQuietly(frame));
    }

    // ================================================================== inbound

    /** One frame from the peer, in order (see the class doc). */
    public void onFrame(String text) {
        if (state == State.DONE) {
            return;
        }
        observed.bytesReceived(text.length());
        JsonNode f;
        try {
            f = frames.readTree(text);
        } catch (IOException e) {
            protocolError("malformed frame: " + e.getMessage());
            return;
        }
        if (f == null || !f.isObject()) {
            protocolError("a frame must be a JSON object");
            return;
        }
        String op = f.path("op").asText("");
        long id = f.path("id").asLong(-1);
        if (JsonFrames.MSG.equals(op)) {
            observed.messageReceived(text.length());
        }
        try {
            dispatch(op, id, f);
        } catch (ProtocolException e) {
            protocolError(e.getMessage());
        }
    }

    private void dispatch(String op, long id, JsonNode f) {
        Object c = id < 0 ? null : channels.get(id);
        switch (op) {
            case JsonFrames.OPEN:
                onOpen(id, f.hasNonNull("name") ? f.get("name").asText() : null, JsonFrames.trace(f));
                break;
            case JsonFrames.MSG:
                if (c instanceof InboundChannel) {
                    onMessage((InboundChannel) c, f.get("msg"));
                } else if (c != null) {
                    throw new ProtocolException("msg on " + id + ", which the peer does not write");
                }
                break; // an unknown id: a channel we gave up on; drop
            case JsonFrames.DATA:
                if (c instanceof StreamBridge) {
                    ((StreamBridge) c).onData(base64(f));
                } else if (c != null) {
                    throw new ProtocolException("data on " + id + ", which is not a byte stream");
                }
                break;
            case JsonFrames.CLOSE:
                if (c instanceof InboundChannel) {
                    ((InboundChannel) c).onClose();
                } else if (c instanceof StreamBridge) {
                    ((StreamBridge) c).onClose();
                }
                break;
            case JsonFrames.CANCEL:
                if (c instanceof OutboundChannel) {
                    ((OutboundChannel) c).onCancel(f.path("reason").asText(""));
                } else if (c instanceof StreamBridge) {
                    ((StreamBridge) c).onCancel();
                }
                break;
            case JsonFrames.CREDIT:
                long n = f.path("n").asLong(0);
                if (n <= 0) {
                    throw new ProtocolException("credit must be positive");
                }
                if (c instanceof OutboundChannel) {
                    ((OutboundChannel) c).onCredit(n);
                } else if (c instanceof StreamBridge) {
                    ((StreamBridge) c).onCredit(n);
                }
                break;
            case JsonFrames.GOAWAY:
                goAwayReceived = true;
                accepted.closeSend();
                if (channels.isEmpty()) {
                    end(null);
                }
                break;
            case JsonFrames.ERROR:
                end(new ProtocolException("the peer ended the session: " + f.path("message").asText(""), true, null));
                break;
            default:
                throw new ProtocolException("unknown frame op '" + op + "'");
        }
    }

    private boolean peerId(long id) {
        return id > 0 && (id % 2 == 1) == server;
    }

    private void claimPeerId(long id) {
        if (!peerId(id) || channels.containsKey(id)) {
            throw new ProtocolException("bad channel id " + id + ": the " + (server ? "client" : "server")
                    + " must use new " + (server ? "odd" : "even") + " ids");
        }
    }

    private void onOpen(long id, String name, Map<String, String> trace) {
        claimPeerId(id);
        if (state != State.OPEN || goAwayReceived || channels.size() >= settings.maxStreams()) {
            sendSoon(JsonFrames.cancel(id, "refused: the session is closing or has too many channels"));
            return;
        }
        InboundChannel c = registerInbound(id, name, trace);
        if (!accepted.offer(c.receiver())) {
            channels.remove(id, c);
            sendSoon(JsonFrames.cancel(id, "refused: the session is closing"));
        }
    }

    private void onMessage(InboundChannel c, JsonNode message) {
        if (message == null) {
            throw new ProtocolException("msg frame without msg");
        }
        Object untyped;
        try {
            untyped = JsonCodec.untyped(message, decodeContext);
        } catch (ProtocolException e) {
            c.fail(e); // a bad message fails its channel only
            sendSoon(JsonFrames.cancel(c.id, e.getMessage()));
            channels.remove(c.id, c);
            return;
        }
        c.onMessage(untyped);
    }

    private byte[] base64(JsonNode f) {
        try {
            return Base64.getDecoder().decode(f.path("b64").asText(""));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("bad base64 in a data frame");
        }
    }

    private final DecodeContext decodeContext = this::resolve;

    /** A reference in a received message: the peer created {@code ref.id()}; we make our end of it now. */
    private Object resolve(Reference ref) {
        long id = ref.id();
        claimPeerId(id);
        if (channels.size() >= settings.maxStreams()) {
            throw new ProtocolException("too many channels in the session (maxStreams " + settings.maxStreams() + ")");
        }
        switch (ref.kind()) {
            case SENDER:
                return registerOutbound(id);
            case RECEIVER:
                return registerInbound(id, null).receiver();
            default: {
                BytePipe pipe = BytePipe.create();
                StreamBridge bridge = registerStream(id, (PipedByteStream) pipe.local());
                if (ref.kind() == ReferenceKind.BYTE_STREAM_READ) {
                    pipe.remote().closeWrite(); // we only read: our direction is done
                }
                bridge.start();
                return pipe.remote();
            }
        }
    }

    /** The connection ended from the peer's side. */
    public void onEnd() {
        if (state == State.DONE) {
            return;
        }
        if (channels.isEmpty() && (goAwayReceived || state == State.CLOSING)) {
            end(null);
        } else {
            end(new ConnectionLostException("the peer closed the connection (" + wire.describe() + ")"));
        }
    }

    /** Reading failed. */
    public void onFailure(IOException e) {
        end(new ConnectionLostException("connection lost (" + wire.describe() + "): " + e.getMessage(), e));
    }

    /** A binary message, which {@code libchan.json} does not use: an {@code error} frame, then close 1003. */
    public void onBinaryMessage() {
        protocolError("a binary message: libchan.json takes text messages only", 1003, "libchan.json takes text messages only");
    }

    void protocolError(String message) {
        protocolError(message, 1002, "protocol error");
    }

    private void protocolError(String message, int closeCode, String closeReason) {
        if (state != State.DONE) {
            observed.protocolError("PROTOCOL_ERROR", "session", message);
        }
        LOG.log(Level.DEBUG, () -> "libchan.json protocol error from " + wire.describe() + ": " + message);
        if (state != State.DONE) {
            try {
                writeLock.lock();
                try {
                    wire.send(JsonFrames.error(message));
                } finally {
                    writeLock.unlock();
                }
            } catch (IOException e) {
                // the connection is going anyway
            }
            wire.close(closeCode, closeReason); // the session's end closes it again: the code given here wins
        }
        end(new ProtocolException("protocol error from " + wire.describe() + ": " + message, true, null));
    }

    // ================================================================== Transport

    @Override
    public Sender newSendChannel() {
        return newSendChannel(settings.channelName().orElse(null));
    }

    @Override
    public Sender newSendChannel(String name) {
        checkOpen();
        if (state != State.OPEN) {
            throw new ChannelClosedException("session closed");
        }
        if (goAwayReceived) {
            throw new ChannelClosedException("the peer is going away: open a new session");
        }
        long id = newId();
        OutboundChannel c = registerOutbound(id);
        try {
            send(JsonFrames.open(id, name, io.libchan.internal.trace.TraceHeaders.current()));
        } catch (LibchanException e) {
            channels.remove(id, c);
            throw e;
        }
        return c;
    }

    @Override
    public Receiver waitReceiveChannel() {
        return QueueReceiver.nextAccepted(accepted, Long.MAX_VALUE);
    }

    @Override
    public Receiver waitReceiveChannel(Duration timeout) {
        return QueueReceiver.nextAccepted(accepted, QueueReceiver.deadline(timeout));
    }

    @Override
    public java.util.concurrent.CompletableFuture<Receiver> receiveChannelAsync() {
        return QueueReceiver.nextAsync(accepted, "session closed: no more channels");
    }

    @Override
    public Optional<Principal> peerPrincipal() {
        return wire.peerPrincipal();
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> closeFuture() {
        return closed;
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN && !goAwayReceived;
    }

    @Override
    public void close() {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        accepted.closeSend();
        sendQuietly(JsonFrames.goAway());
        if (channels.isEmpty()) {
            end(null);
        } else {
            drainStarted = Math.max(1, System.nanoTime());
            SessionThreads.timer(settings).schedule(() -> end(new ConnectionLostException(
                    "session closed before every channel finished (drain timeout)")),
                    settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Only a drain this side started ({@link #close()}) is timed: a peer's {@code goaway} leaves the
     * session open until its channels end (PROTOCOL.md 13.4.4), however long they take.
     */
    @Override
    public boolean drainOverdue(long now) {
        long started = drainStarted;
        return started != 0 && state != State.DONE && now - started > 2 * settings.drainTimeout().toNanos();
    }

    @Override
    public void abort() {
        aborted = true;
        end(new ConnectionLostException("session aborted"));
    }

    /** Ends the session; {@code error} null for a clean end. Idempotent. */
    private void end(LibchanException error) {
        synchronized (this) {
            if (state == State.DONE) {
                return;
            }
            state = State.DONE;
            failure = error != null ? error : new ChannelClosedException("session closed");
        }
        if (error != null && !aborted) {
            // one line per failed session, with the peer and the reason; the stack only at DEBUG
            LOG.log(Level.WARNING, () -> "session " + wire.describe() + " failed: " + error.getMessage());
        }
        observed.ended(aborted ? null : error);
        LOG.log(Level.DEBUG, "libchan.json session ended: " + wire.describe(), error);
        if (error != null) {
            accepted.fail(error);
        } else {
            accepted.closeSend();
        }
        LibchanException f = error != null ? error : new ConnectionLostException("session closed with the channel still open");
        for (Object c : channels.values()) {
            if (c instanceof InboundChannel) {
                ((InboundChannel) c).fail(f);
            } else if (c instanceof OutboundChannel) {
                ((OutboundChannel) c).fail(f);
            } else {
                ((StreamBridge) c).fail(f);
            }
        }
        channels.clear();
        wire.close();
        if (error != null) {
            closed.completeExceptionally(error);
        } else {
            closed.complete(null);
        }
    }

    /** Transport {@code ws}/{@code wss} (or the wire's scheme), no dialect (libchan.json has none), bytes as characters. */
    @Override
    public io.libchan.TransportInfo info() {
        return observed.info();
    }

    @Override
    public String toString() {
        return "JsonSession(" + wire.describe() + (server ? ", server" : ", client") + ")";
    }
}
