package io.libchan.internal.session;

import io.libchan.ChannelClosedException;
import io.libchan.ChannelInterruptedException;
import io.libchan.ChannelTimeoutException;
import io.libchan.ConnectionLostException;
import io.libchan.Dialect;
import io.libchan.LibchanException;
import io.libchan.MessageTooLargeException;
import io.libchan.ProtocolException;
import io.libchan.Receiver;
import io.libchan.SessionRefusedException;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.TransportInfo;
import io.libchan.internal.bytes.ByteBufferPipe;
import io.libchan.internal.observe.SessionObservation;
import io.libchan.internal.codec.MessageCodecs;
import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.QueueReceiver;
import io.libchan.internal.queue.ReadAssist;
import io.libchan.internal.codec.LentEncoding;
import io.libchan.internal.spdy.DataFrame;
import io.libchan.internal.spdy.GoAwayFrame;
import io.libchan.internal.spdy.HeadersFrame;
import io.libchan.internal.spdy.PingFrame;
import io.libchan.internal.spdy.RstStreamFrame;
import io.libchan.internal.spdy.SettingsFrame;
import io.libchan.internal.spdy.SpdyFrame;
import io.libchan.internal.spdy.SpdyFrameDecoder;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SpdyLimits;
import io.libchan.internal.spdy.SpdyProtocol;
import io.libchan.internal.spdy.SpdyProtocolException;
import io.libchan.internal.spdy.SpdyStatus;
import io.libchan.internal.spdy.SynReplyFrame;
import io.libchan.internal.spdy.SynStreamFrame;
import io.libchan.internal.spdy.WindowUpdateFrame;
import io.libchan.internal.trace.TraceHeaders;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.lang.System.Logger.Level;

/**
 * A libchan session over SPDY/3 (PROTOCOL.md, "Sessions"), speaking the Go HEAD or the
 * v0.1.0/jschan dialect, over any {@link Wire}. The transport feeds received bytes to
 * {@link #onBytes} from one thread at a time (its I/O thread, or a thread that waits for a message
 * and reads meanwhile); everything else may be called from any thread.
 *
 * <p>Lifecycle: OPEN until {@link #close()} (GOAWAY, then the connection closes once every stream
 * is done or the drain timeout passes), {@link #abort()}, the peer's GOAWAY (no new channels; the
 * rest finish), a protocol error (GOAWAY with a status, every channel fails with
 * {@link ProtocolException}) or the connection breaking (every channel fails with
 * {@link ConnectionLostException}).
 */
public final class SpdySession implements Transport, io.libchan.internal.transport.Draining {
    private static final System.Logger LOG = System.getLogger(SpdySession.class.getName());
    private static final byte[] EMPTY = new byte[0];
    /** Largest DATA frame we write: big enough for throughput, small enough to interleave streams. */
    private static final int MAX_DATA_CHUNK = 256 * 1024;

    private enum State { OPEN, CLOSING, DONE }

    private final boolean server;
    private final Settings settings;
    private final Wire wire;
    private final Executor executor;
    private final FrameWriter writer;
    private final SpdyFrameDecoder decoder;
    private final FlowControl flow;
    private final CountDownLatch dialectKnown = new CountDownLatch(1);
    /** The wire dialect (HEAD or V0_1_0); a jschan peer is V0_1_0 with {@link #jschan} set. */
    private volatile Dialect dialect;
    /** The peer is jschan: its limits apply, and the streams we push start with its HTTP head (PROTOCOL.md section 6). */
    private volatile boolean jschan;
    /** The largest message a jschan peer takes: one DATA frame, within one TLS record over TLS. */
    private volatile int jschanMaxMessage = DialectRules.JSCHAN_MAX_MESSAGE;
    /** Largest DATA frame we write: {@link #MAX_DATA_CHUNK}, or what fits one TLS record toward jschan. */
    private volatile int maxDataChunk = MAX_DATA_CHUNK;
    private final CodecChoice codecs;

    private final Map<Integer, SessionStream> streams = new ConcurrentHashMap<>();
    private final ReentrantLock refLock = new ReentrantLock();
    private final Condition refsChanged = refLock.newCondition();
    private final Map<Long, SessionStream> peerRefs = new ConcurrentHashMap<>(); // written under refLock
    private final ReentrantLock openLock = new ReentrantLock();
    private int nextStreamId;        // guarded by openLock
    private long nextRef;            // guarded by openLock
    private boolean extOffered;      // guarded by openLock
    private volatile int lastPeerStreamId;
    private final ChannelQueue accepted = new ChannelQueue(0);
    private final EndedStreams ended = new EndedStreams();
    private final Orphans orphans = new Orphans(this);

    private volatile State state = State.OPEN;
    private volatile LibchanException failure;
    private volatile boolean goAwayReceived;
    private volatile Thread batchReader; // the reader thread while it is inside onBytes
    private volatile boolean goAwaySent;
    private volatile int peerLastGood = Integer.MAX_VALUE;
    private volatile long lastFrameNanos = System.nanoTime();
    /** The wire does not read while the memory budget is spent: no PING answer can be heard then. */
    private volatile boolean readingPaused;
    /** {@link #abort()} ended it: the end is not logged as a failure. */
    private volatile boolean aborted;
    private volatile boolean peerIsJava;
    /** The peer listed implicit-reply: its nested streams get no SYN_REPLY (PROTOCOL.md section 8). */
    private volatile boolean peerTakesImplicitReplies;
    /** The peer listed implicit-open: reply channels open by their reference alone, both ways (section 8). */
    private volatile boolean implicitOpens;
    /** The peer listed traced-refs too: a traced reply channel's reference may carry its traceparent (section 8). */
    private volatile boolean tracedRefs;
    /**
     * RST_STREAMs for streams the peer opened implicitly that no decoded reference named yet, by
     * stream id (guarded by refLock; the oldest are forgotten past {@link #MAX_EARLY_RESETS}).
     */
    private final Map<Integer, Integer> earlyResets = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
            return size() > MAX_EARLY_RESETS;
        }
    };
    private static final int MAX_EARLY_RESETS = 1024;
    private volatile boolean peerOfferedFds;
    private volatile boolean peerAcceptedFds;
    private final java.util.ArrayDeque<java.io.FileDescriptor> receivedFds = new java.util.ArrayDeque<>(); // reader thread
    private final KeepAlive keepAlive;
    private volatile ScheduledFuture<?> keepAliveTimer;
    private volatile ScheduledFuture<?> drainTimer;
    /** {@link System#nanoTime()} when the drain timer started; 0 before (see {@link #drainOverdue}). */
    private volatile long drainStarted;
    private final FirstChannelDeadline firstChannel = new FirstChannelDeadline();
    /** Client: the stream id of the first top-level channel we opened, 0 before. */
    private volatile int firstTopLevelId;
    /** Client: the server reset our first top-level channel with REFUSED_STREAM before any GOAWAY (section 4.6). */
    private volatile boolean firstChannelRefused;
    private final java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
    /** Counters, metrics and JFR events: the one place this session reports to them. */
    private final SessionObservation observed;

    /**
     * @param server the side that accepted the connection (even stream ids)
     * @param executor runs pumps and async work; see {@link SessionThreads#executor()}
     */
    public SpdySession(Wire wire, boolean server, Settings settings, Executor executor) {
        this(wire, server, settings, executor, budgetOfItsOwn(settings));
    }

    /** A budget for one session alone (a client's), of the settings' {@code maxBufferedBytes}. */
    public static InboundBudget budgetOfItsOwn(Settings settings) {
        return new InboundBudget(settings.maxBufferedBytes(), settings.maxMessageBytes(), () -> SessionThreads.timer(settings));
    }

    /**
     * @param budget the memory this session shares with others (a listener's sessions share one)
     *               for the bytes it received and the application has not taken yet
     */
    public SpdySession(Wire wire, boolean server, Settings settings, Executor executor, InboundBudget budget) {
        this.wire = wire;
        this.server = server;
        this.settings = settings;
        this.executor = executor;
        this.observed = SessionObservation.of(settings, wire.describe(), streams::size);
        this.flow = new FlowControl(this, settings.streamWindowBytes(), Math.max(64L << 20, 4L * settings.maxMessageBytes()),
                budget);
        this.writer = new FrameWriter(wire, executor, this::onWriteFailed, () -> Thread.currentThread() == batchReader,
                () -> SessionThreads.timer(settings));
        writer.countWrittenBytesIn(observed.bytesSent());
        this.decoder = new SpdyFrameDecoder(new SpdyLimits(settings.maxFrameBytes(), 64 * 1024 + 1024,
                settings.maxHeaderBlockBytes(), 256));
        this.nextStreamId = server ? 2 : 1;
        this.codecs = new CodecChoice(settings, server);
        this.keepAlive = new KeepAlive(settings.keepAliveInterval().toNanos(), settings.keepAliveTimeout().toNanos(), server,
                System.nanoTime());
        Optional<Dialect> configured = settings.dialect();
        if (configured.isPresent() || !server) {
            setDialect(configured.orElse(Dialect.HEAD));
        }
        if (wire.negotiatedProtocol().filter("spdy/3.1"::equals).isPresent()) {
            flow.peerSpeaks31();
        }
    }

    /** Announces our flow-control window (SETTINGS; Go ignores it) and starts keep-alive. */
    public void start() {
        start(null);
    }

    /**
     * As {@link #start()}, for a session a listener accepted: its metrics carry the listener's
     * {@code uri} (without its query).
     */
    public void start(String listener) {
        observed.started(listener == null ? null : withoutQuery(listener));
        writer.write(FrameWriter.Outbound.control(new SettingsFrame(false,
                List.of(new SettingsFrame.Setting(7, 0, flow.ourWindow())))));
        if (settings.keepAliveInterval().toNanos() > 0) { // zero disables keep-alive
            scheduleKeepAlive(settings.keepAliveInterval().toNanos());
        }
    }

    /**
     * For the server of a raw listener: closes the session (GOAWAY, as {@link #close()}) when no
     * top-level channel was opened, by the peer or by us, within {@code timeout} of now, however many
     * PINGs the peer sends meanwhile (PROTOCOL.md section 4.6). Zero or negative: no deadline.
     */
    public void closeUnlessAChannelOpensWithin(java.time.Duration timeout) {
        long millis = timeout.toMillis();
        firstChannel.arm(SessionThreads.timer(settings), millis, () -> {
            if (state != State.OPEN) {
                return;
            }
            LOG.log(Level.DEBUG, () -> "session " + wire.describe() + " opened no channel within " + millis + " ms: closing it");
            try {
                executor.execute(this::close); // not on the shared timer: writing the GOAWAY may wait for the socket
            } catch (java.util.concurrent.RejectedExecutionException e) {
                abort();
            }
        });
    }

    private static String withoutQuery(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    private void setDialect(Dialect d) {
        if (dialect == null) {
            observed.dialect(d);
            if (d == Dialect.JSCHAN) {
                jschanFound();
            }
            dialect = d.wire();
            openLock.lock();
            try {
                nextRef = DialectRules.firstRef(d.wire(), server);
            } finally {
                openLock.unlock();
            }
            dialectKnown.countDown();
        }
    }

    /**
     * node-spdy hands each piece of a DATA frame that a TLS record brings to jschan, which decodes
     * it as a whole message: over TLS every frame must come in one record, so a message and a DATA
     * frame are held to what one record carries.
     */
    private void jschanFound() {
        jschan = true;
        int record = wire.alignRecordsToFrames();
        if (record > 0) {
            maxDataChunk = record - DialectRules.DATA_HEAD;
            jschanMaxMessage = Math.min(DialectRules.JSCHAN_MAX_MESSAGE, maxDataChunk);
        }
    }

    /** The wire dialect (jschan's is V0_1_0); a server that has not heard from the peer yet waits for its first stream (bounded). */
    public Dialect dialect() {
        awaitDialect();
        return dialect;
    }

    private void awaitDialect() {
        if (dialect != null) {
            return;
        }
        try {
            if (!dialectKnown.await(settings.dialectDetectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                setDialect(Dialect.HEAD);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelInterruptedException(e);
        }
    }

    /**
     * The session's codec, once agreed (a client that offered one waits for the answer, bounded;
     * PROTOCOL.md section 8). The reader thread cannot wait for an answer only it can read.
     */
    MessageCodec codec() {
        awaitDialect();
        MessageCodec c = codecs.get(dialect, Thread.currentThread() != batchReader);
        if (c == null) {
            throw new ChannelTimeoutException("the session's codec is not agreed yet (the peer's answer to "
                    + settings.codec() + " is still to come): send from another thread than the connection's reader");
        }
        return c;
    }

    FlowControl flow() {
        return flow;
    }

    int maxMessageBytes() {
        return settings.maxMessageBytes();
    }

    Executor executor() {
        return executor;
    }

    boolean isAlive() {
        return state != State.DONE;
    }

    /** The highest stream id the peer opened so far (stream ids grow in the order their SYN_STREAMs arrive). */
    int lastPeerStreamId() {
        return lastPeerStreamId;
    }

    Orphans orphans() {
        return orphans;
    }

    /** The streams open now (a live view). */
    Iterable<SessionStream> liveStreams() {
        return streams.values();
    }

    // ================================================================== inbound

    /**
     * File descriptors the unix socket delivered with the bytes that follow (reader thread). Each
     * SYN_STREAM with {@code libchan-fd} takes the next one, in wire order.
     */
    public void onFileDescriptors(java.io.FileDescriptor[] fds) {
        java.util.Collections.addAll(receivedFds, fds);
    }

    /** True when descriptors can be passed: a unix socket and a Java peer that agreed (libchan-ext). */
    boolean fdPassingActive() {
        return wire.canPassFileDescriptors() && (peerOfferedFds || peerAcceptedFds);
    }

    /**
     * The descriptor of {@code value} (a file descriptor, or a socket the wire can open up) when it
     * would cross this session as itself: fd passing is on and the wire knows the value.
     */
    public java.util.Optional<java.io.FileDescriptor> passableDescriptor(Object value) {
        return fdPassingActive() ? wire.descriptorOf(value) : java.util.Optional.empty();
    }

    Wire wire() {
        return wire;
    }

    /** Bytes from the connection, in order, from the reader thread. */
    public void onBytes(ByteBuffer bytes) {
        lastFrameNanos = System.nanoTime();
        observed.bytesReceived(bytes.remaining());
        batchReader = Thread.currentThread();
        writer.startOfBatch();
        try {
            decodeAll(bytes);
        } finally {
            batchReader = null;
            writer.endOfBatch();
        }
    }

    /**
     * Bytes of the DATA frame being received still to come, 0 between frames: a reader may end its
     * next read with that frame, so that the frame's bytes reach their stream in one piece. Reader thread.
     */
    public int dataBytesLeft() {
        return decoder.dataBytesLeft();
    }

    // made once: a method reference written in decodeAll would be a new object per read
    private final java.util.function.Consumer<SpdyFrame> frameSink = this::onFrame;
    private final SpdyFrameDecoder.DataSink dataSink = this::onDataSlice;

    private void decodeAll(ByteBuffer bytes) {
        while (bytes.hasRemaining() && state != State.DONE) {
            try {
                decoder.decode(bytes, frameSink, dataSink);
            } catch (SpdyProtocolException e) {
                if (e.isStreamError()) {
                    observed.protocolError(SpdyStatus.rstName(e.rstStatus()), "stream", e.getMessage());
                    resetStreamId(e.streamId(), e.rstStatus(), e.getMessage());
                } else {
                    protocolError(e.goAwayStatus(), e.getMessage(), e);
                }
            } catch (IllegalStateException e) {
                return; // decoder closed or failed: the session is ending
            }
        }
    }

    /**
     * For a reader that {@link Wire#readerFlushesLazyWrites()}: when its wait for input must end
     * ({@link System#nanoTime()} scale) to write frames queued lazily, or 0 to wait without bound.
     */
    public long lazyWriteDeadline() {
        return writer.lazyDeadline();
    }

    /** The reader's wait reached {@link #lazyWriteDeadline()}: writes the lazy frames (reader thread, never blocks). */
    public void flushLazyWrites() {
        writer.flushLazy();
    }

    /**
     * False while the session may not take more input (its memory budget is spent): a wire that
     * {@link Wire#pausesReading()} asks after every read and then pauses until
     * {@link #whenReadingAllowed} calls back.
     */
    public boolean readingAllowed() {
        return flow.mayReceive();
    }

    /** Runs {@code resume} once, when reading may go on (at once if it may now). */
    public void whenReadingAllowed(Runnable resume) {
        readingPaused = true; // the keep-alive cannot hear the peer meanwhile: it waits too
        flow.whenMayReceive(() -> {
            readingPaused = false;
            lastFrameNanos = System.nanoTime();
            resume.run();
        });
    }

    /** The wire's socket takes bytes again (its I/O thread): the backlog is written, never blocking. */
    public void onWritable() {
        writer.onWritable();
        if (!sendWaiters.isEmpty() && !writer.backedUp()) {
            sendWindowGrew(null);
        }
    }

    /** True while frames of this session wait to be written (or are being written). */
    public boolean hasQueuedOutput() {
        return writer.hasQueued();
    }

    /**
     * Handling this session's input failed in a way the peer did not cause by the protocol: a bug,
     * or an {@link Error} such as {@code OutOfMemoryError}. This session ends with GOAWAY
     * INTERNAL_ERROR and its channels fail; nothing else is touched. One line is logged.
     */
    public void onFault(Throwable error) {
        if (state == State.DONE) {
            return;
        }
        LOG.log(Level.DEBUG, "session " + wire.describe() + " failed", error);
        try {
            writer.writeSoon(FrameWriter.Outbound.control(new GoAwayFrame(lastPeerStreamId, SpdyStatus.GOAWAY_INTERNAL_ERROR)));
        } catch (Throwable e) {
            // best effort: the connection closes anyway
        }
        end(new ConnectionLostException("internal error handling the session's input (" + wire.describe() + "): " + error, error));
    }

    /**
     * The memory budget takes the overdraft back from this session: the messages it is in the
     * middle of are refused (their channels reset with {@link MessageTooLargeException}). Any thread.
     */
    void refuseUnfinishedMessages() {
        for (SessionStream s : streams.values()) {
            s.refuseUnfinished();
        }
    }

    /** The connection ended cleanly from the peer's side (EOF). */
    public void onEndOfInput() {
        if (state == State.DONE) {
            return;
        }
        if (drained() && (goAwayReceived || state == State.CLOSING)) {
            end(null);
        } else {
            end(new ConnectionLostException("the peer closed the connection (" + wire.describe() + ")"));
        }
    }

    /** Reading failed. */
    public void onInputFailed(IOException e) {
        if (state != State.DONE) {
            end(new ConnectionLostException("connection lost (" + wire.describe() + "): " + e.getMessage(), e));
        }
    }

    private void onWriteFailed(IOException e) {
        onInputFailed(e);
    }

    private void onFrame(SpdyFrame frame) {
        if (frame instanceof DataFrame) {
            onData((DataFrame) frame);
        } else if (frame instanceof SynStreamFrame) {
            onSynStream((SynStreamFrame) frame);
        } else if (frame instanceof SynReplyFrame) {
            onSynReply((SynReplyFrame) frame);
        } else if (frame instanceof RstStreamFrame) {
            onRst((RstStreamFrame) frame);
        } else if (frame instanceof SettingsFrame) {
            onSettings((SettingsFrame) frame);
        } else if (frame instanceof WindowUpdateFrame) {
            WindowUpdateFrame w = (WindowUpdateFrame) frame;
            if (w.streamId() == 0) {
                flow.onWindowUpdate(null, w.deltaWindowSize());
            } else {
                SessionStream s = streams.get(w.streamId());
                if (s != null) {
                    flow.onWindowUpdate(s, w.deltaWindowSize()); // credit for a stream that is gone is dropped
                }
            }
        } else if (frame instanceof PingFrame) {
            onPing((PingFrame) frame);
        } else if (frame instanceof GoAwayFrame) {
            onGoAway((GoAwayFrame) frame);
        } else if (frame instanceof HeadersFrame) {
            LOG.log(Level.DEBUG, () -> "ignoring HEADERS on stream " + frame.streamId());
        }
    }

    private boolean peerParity(int id) {
        return (id % 2 == 0) == !server; // a client's streams are odd
    }

    private void onSynStream(SynStreamFrame f) {
        int id = f.streamId();
        SpdyHeaders h = f.headers();
        if (!peerParity(id) || id <= lastPeerStreamId) {
            writeSoon(new RstStreamFrame(id, SpdyStatus.RST_PROTOCOL_ERROR)); // not a stream of its own: nothing to remember
            return;
        }
        lastPeerStreamId = id;
        if (state != State.OPEN || goAwayReceived) {
            refuse(id, SpdyStatus.RST_REFUSED_STREAM);
            return;
        }
        if (server && !codecs.decided()) {
            // before the dialect is known, so a thread waiting for it finds the codec decided too
            codecs.peerOffered(h.get(DialectRules.EXT), (dialect != null ? dialect : DialectRules.detect(h)).wire());
        }
        if (dialect == null) {
            setDialect(DialectRules.detect(h));
        }
        long ref;
        try {
            ref = Long.parseLong(h.get(DialectRules.REF));
        } catch (NumberFormatException | NullPointerException e) {
            LOG.log(Level.DEBUG, () -> "stream " + id + " without a valid libchan-ref: refused");
            refuse(id, SpdyStatus.RST_PROTOCOL_ERROR);
            return;
        }
        if (streams.size() >= settings.maxStreams()) {
            refuse(id, SpdyStatus.RST_REFUSED_STREAM);
            return;
        }
        boolean topLevel = DialectRules.isTopLevel(dialect, h);
        long parentRef = topLevel ? -1 : parentRefOf(h);
        if (parentRef >= 0 && orphans.orphaned(parentRef)) {
            // for a message on a channel refused before: nobody will ever claim it (PROTOCOL.md section 9)
            refuse(id, SpdyStatus.RST_CANCEL);
            return;
        }
        SessionStream s = new SessionStream(this, id, ref, false, topLevel, h.get(DialectRules.CHANNEL));
        s.parentRef = parentRef;
        if (topLevel) {
            s.bearerToken = DialectRules.bearerToken(h);
        }
        s.trace = TraceHeaders.of(h);
        String ext = h.get(DialectRules.EXT);
        if (ext != null) {
            peerIsJava = true;
            peerOfferedFds = DialectRules.lists(ext, DialectRules.EXT_FD_PASSING);
            javaPeerFound(ext);
        }
        if (h.get(DialectRules.FD) != null) {
            java.io.FileDescriptor fd = receivedFds.poll();
            if (fd == null) {
                refuse(id, SpdyStatus.RST_PROTOCOL_ERROR);
                return;
            }
            s.carries(fd);
        }
        refLock.lock();
        try {
            if (peerRefs.containsKey(ref)) {
                refuse(id, SpdyStatus.RST_PROTOCOL_ERROR);
                return;
            }
            // the SYN_REPLY is queued before the stream is visible: a thread that was waiting for this
            // reference may send on it at once, and its DATA must not overtake the reply (node-spdy drops it)
            boolean implicit = peerTakesImplicitReplies && !topLevel && s.descriptor() == null;
            if (!(dialect == Dialect.V0_1_0 && f.unidirectional()) && !implicit) {
                writeSoon(new SynReplyFrame(id, false, DialectRules.reply(dialect, ext == null ? null : acceptExtensions(ext))));
            }
            streams.put(id, s);
            peerRefs.put(ref, s);
            refsChanged.signalAll();
        } finally {
            refLock.unlock();
        }
        if (dialect == Dialect.V0_1_0 && !server && f.associatedStreamId() != 0) {
            s.skipHttpHead(); // a jschan server's push may start with HTTP header text
        }
        if (topLevel) {
            ChannelQueue queue = new ChannelQueue(0);
            s.receiveMessagesInto(queue);
            s.claim(ReferenceKind.RECEIVER, k -> new StreamReceiver(s, queue));
            accepted.offer(s.claimedAs());
            firstChannel.met();
        }
        if (f.fin()) {
            s.onData(EMPTY, true);
        }
    }

    /** The {@code libchan-parent-ref} of a nested stream, or -1 if it has none (v0.1.0 byte streams) or a bad one. */
    private static long parentRefOf(SpdyHeaders h) {
        String parent = h.get(DialectRules.PARENT_REF);
        if (parent == null || parent.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(parent);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Refuses the peer's new stream {@code id} with RST_STREAM {@code status}; later DATA on it is dropped. */
    private void refuse(int id, int status) {
        ended.reset(id);
        writeSoon(new RstStreamFrame(id, status));
    }

    private String acceptExtensions(String offered) {
        StringBuilder accepted = new StringBuilder();
        for (String e : offered.split(",")) {
            String name = e.trim();
            boolean ok = name.equals(DialectRules.EXT_FLOW_CONTROL) || name.equals(DialectRules.EXT_CHANNEL_NAMES)
                    || name.equals(DialectRules.EXT_STORED_HEADERS) || name.equals(DialectRules.EXT_IMPLICIT_REPLY)
                    || name.equals(DialectRules.EXT_IMPLICIT_OPEN) || name.equals(DialectRules.EXT_TRACED_REFS)
                    || (name.equals(DialectRules.EXT_FD_PASSING) && wire.canPassFileDescriptors());
            if (ok) {
                accepted.append(accepted.length() == 0 ? "" : ",").append(name);
            }
        }
        String codec = codecs.answer(offered);
        if (codec != null) {
            accepted.append(accepted.length() == 0 ? "" : ",").append(codec);
        }
        return accepted.toString();
    }

    /**
     * A Java peer: its session window is grown at once (PROTOCOL.md section 7), so bulk transfers
     * are not held to 64 KiB in flight; if it stores its header blocks, they are read without zlib
     * from the next frame on; if it takes implicit replies, its nested streams get no SYN_REPLY.
     */
    private void javaPeerFound(String ext) {
        peerTakesImplicitReplies = DialectRules.lists(ext, DialectRules.EXT_IMPLICIT_REPLY);
        implicitOpens = DialectRules.lists(ext, DialectRules.EXT_IMPLICIT_OPEN);
        tracedRefs = DialectRules.lists(ext, DialectRules.EXT_TRACED_REFS);
        if (DialectRules.lists(ext, DialectRules.EXT_STORED_HEADERS)) {
            decoder.peerStoresHeaderBlocks();
        }
        io.libchan.internal.spdy.WindowUpdateFrame grow = flow.growSessionWindowForJavaPeer();
        if (grow != null) {
            writeSoon(grow);
        }
    }

    private void onSynReply(SynReplyFrame f) {
        String ext = f.headers().get(DialectRules.EXT);
        if (!server) {
            codecs.replied(f.streamId(), ext, dialect);
        }
        if (ext != null) {
            peerIsJava = true;
            peerAcceptedFds = DialectRules.lists(ext, DialectRules.EXT_FD_PASSING);
            javaPeerFound(ext);
        }
        if (f.fin()) {
            SessionStream s = streams.get(f.streamId());
            if (s != null) {
                s.onData(EMPTY, true);
            }
        }
    }

    private void onData(DataFrame f) {
        try {
            onData(f.streamId(), true, f.fin(), f.data(), 0, f.data().length, true);
        } catch (SpdyProtocolException e) {
            protocolError(e.goAwayStatus(), e.getMessage(), e);
        }
    }

    /** A piece of a DATA payload, still in the read buffer (no copy was made for it). */
    private void onDataSlice(int streamId, boolean first, boolean fin, byte[] buf, int off, int len) throws SpdyProtocolException {
        onData(streamId, first, fin, buf, off, len, false);
    }

    /** @param first the first piece of its frame (a frame split across reads comes in several) */
    private void onData(int streamId, boolean first, boolean fin, byte[] buf, int off, int len, boolean owned)
            throws SpdyProtocolException {
        if (first) {
            writer.dataFrameArrived();
        }
        SessionStream s = streams.get(streamId);
        if (s == null) {
            if (first) {
                onDataForNoStream(streamId);
            }
            return;
        }
        flow.received(len);
        if (!s.onData(buf, off, len, fin, owned)) {
            flow.consumedAndDropped(s, len);
            if (first) {
                writeSoon(new RstStreamFrame(streamId, SpdyStatus.RST_STREAM_ALREADY_CLOSED));
            }
        }
    }

    /**
     * DATA for a stream that is not open: never opened (INVALID_STREAM), reset (still in flight:
     * dropped), or ended by both FINs (DATA after the peer's FIN: STREAM_ALREADY_CLOSED).
     */
    private void onDataForNoStream(int streamId) {
        boolean opened = peerParity(streamId) ? streamId <= lastPeerStreamId : streamId < ownStreamIdsBelow();
        if (!opened) {
            if (peerParity(streamId)) {
                writeSoon(new RstStreamFrame(streamId, SpdyStatus.RST_INVALID_STREAM));
            }
        } else if (!ended.wasReset(streamId)) {
            writeSoon(new RstStreamFrame(streamId, SpdyStatus.RST_STREAM_ALREADY_CLOSED));
        }
    }

    /** Our stream ids so far are below this. */
    private int ownStreamIdsBelow() {
        openLock.lock();
        try {
            return nextStreamId < 0 ? Integer.MAX_VALUE : nextStreamId;
        } finally {
            openLock.unlock();
        }
    }

    private void onRst(RstStreamFrame f) {
        if (!server) {
            codecs.unanswered(f.streamId(), dialect);
        }
        SessionStream s = streams.get(f.streamId());
        if (s == null) {
            if (implicitOpens && peerParity(f.streamId())) {
                // perhaps a reply channel the peer opened implicitly, named by a message not decoded yet
                refLock.lock();
                try {
                    earlyResets.put(f.streamId(), f.status());
                } finally {
                    refLock.unlock();
                }
            }
            return;
        }
        ChannelClosedException reset;
        if (refusesTheSession(s, f)) {
            firstChannelRefused = true;
            reset = refusal();
        } else {
            reset = new ChannelClosedException("the peer reset the channel (" + SpdyStatus.rstName(f.status()) + ")");
        }
        s.resetBy = reset;
        s.fail(reset);
        if (!s.local && !s.topLevel && !s.everClaimed()) {
            // a message naming it may still come, or wait for it: it resolves to this ended stream
            ended.resetUnclaimed(s);
        }
        flow.wakeAll();
        remove(s);
    }

    private void onSettings(SettingsFrame f) {
        Integer initialWindow = null;
        for (SettingsFrame.Setting setting : f.settings()) {
            if (setting.id() == 7) {
                initialWindow = setting.value();
            }
        }
        flow.onSettings(initialWindow);
    }

    private void onPing(PingFrame f) {
        if (peerParity(f.id())) {
            writeSoon(f);
        } else {
            keepAlive.answered(f.id());
        }
    }

    /**
     * How an authenticating server turns a client away (PROTOCOL.md section 4.6): REFUSED_STREAM on
     * the client's first top-level channel, before any GOAWAY (a server that is closing sends its
     * GOAWAY first and then refuses what comes after).
     */
    private boolean refusesTheSession(SessionStream s, RstStreamFrame f) {
        return !server && s.local && s.topLevel && s.id == firstTopLevelId && !goAwayReceived
                && f.status() == SpdyStatus.RST_REFUSED_STREAM;
    }

    private SessionRefusedException refusal() {
        return new SessionRefusedException("the server refused this session: it did not accept the credentials of"
                + " its first channel (bearer token, TLS client certificate) (" + wire.describe() + ")");
    }

    private void onGoAway(GoAwayFrame f) {
        if (firstChannelRefused && f.lastGoodStreamId() == 0) {
            end(refusal()); // nothing of ours was taken: the whole session was refused
            return;
        }
        goAwayReceived = true;
        peerLastGood = f.lastGoodStreamId();
        accepted.closeSend();
        for (SessionStream s : streams.values()) {
            // an implicitly opened stream stands or falls with the stream that carried its reference
            int opened = s.openedImplicitly ? s.openedFor : s.id;
            if (s.local && opened > f.lastGoodStreamId()) {
                ChannelClosedException refused = new ChannelClosedException("the peer is going away and did not take this channel");
                s.resetBy = refused;
                s.fail(refused);
                remove(s);
            }
        }
        flow.wakeAll();
        if (drained()) {
            end(null);
        } else {
            startDrainTimer(); // whoever sent the GOAWAY, a peer that never finishes does not hold the session
        }
    }

    // ================================================================== outbound

    @Override
    public Sender newSendChannel() {
        return newSendChannel(settings.channelName().orElse(null));
    }

    @Override
    public Sender newSendChannel(String name) {
        SessionStream s = openStream(null, true, false, name, null, false);
        s.discardInbound();
        return (Sender) s.claim(ReferenceKind.SENDER, k -> new StreamSender(s));
    }

    SessionStream openNested(SessionStream parent, boolean byteStream) {
        return openStream(parent, false, byteStream, null, null, false);
    }

    /**
     * A nested stream for a Sender we give the peer: only the peer writes on it. To a Java peer its
     * SYN_STREAM carries FIN (PROTOCOL.md section 8): our half is closed from the start, so no FIN
     * of ours answers the peer's when it closes the channel. Go and jschan get the plain stream.
     */
    SessionStream openForPeerToWrite(SessionStream parent) {
        return openStream(parent, false, false, null, null, peerIsJava);
    }

    /** A stream that carries {@code fd} to the peer on its SYN_STREAM (unix sockets, Java peers). */
    SessionStream openDescriptor(SessionStream parent, java.io.FileDescriptor fd) {
        SessionStream s = openStream(parent, false, false, null, fd, true);
        s.discardInbound();
        return s;
    }

    /** @param finOnOpen the SYN_STREAM carries FIN: nothing else of ours goes on the stream */
    private SessionStream openStream(SessionStream parent, boolean topLevel, boolean byteStream, String name,
                                     java.io.FileDescriptor fd, boolean finOnOpen) {
        if (topLevel) {
            firstChannel.met(); // from the call: a server's first open may wait for the peer's dialect
        }
        Dialect d = dialect();
        openLock.lock();
        try {
            checkCanOpen();
            if (nextStreamId < 0) {
                throw new ChannelClosedException("stream ids exhausted: open a new session");
            }
            int id = nextStreamId;
            nextStreamId += 2;
            // the caller's trace, if it runs in one (PROTOCOL.md section 8); a stream carrying a descriptor has none
            java.util.Map<String, String> trace = fd == null ? TraceHeaders.currentOrNull() : null;
            // a reply channel to a peer that takes implicit opens: its reference opens it (no SYN_STREAM),
            // in the trace of the stream its message goes on, or in its own trace when the reference can
            // carry it (traced-refs); else the trace travels on a SYN_STREAM
            boolean mayOpenByRef = finOnOpen && fd == null && !topLevel && d == Dialect.HEAD && implicitOpens;
            boolean implicit = mayOpenByRef && java.util.Objects.equals(trace, parent.trace);
            String refTraceparent = null;
            if (mayOpenByRef && !implicit && tracedRefs && TraceHeaders.fitsReference(trace) && codec().carriesTraceparents()) {
                implicit = true;
                refTraceparent = trace.get(TraceHeaders.TRACEPARENT);
            }
            long ref;
            if (implicit) {
                ref = DialectRules.IMPLICIT_REF | id;
            } else {
                ref = nextRef;
                nextRef += DialectRules.refStep(d);
            }
            SessionStream s = new SessionStream(this, id, ref, true, topLevel, name);
            if (topLevel && firstTopLevelId == 0) {
                firstTopLevelId = id;
            }
            s.localFin = finOnOpen;
            s.trace = trace;
            s.refTraceparent = refTraceparent;
            s.openedImplicitly = implicit;
            s.openedFor = implicit && parent.local ? parent.id : 0;
            streams.put(id, s);
            if (implicit) {
                return s;
            }
            SpdyHeaders.Builder h = SpdyHeaders.builder().add(DialectRules.REF, Long.toString(ref));
            int assoc = 0;
            boolean push = false;
            boolean codecOffered = false;
            if (topLevel) {
                if (d == Dialect.V0_1_0) {
                    h.add(DialectRules.PARENT_REF, "0");
                }
                if (name != null) {
                    h.add(DialectRules.CHANNEL, name);
                }
                if (!extOffered) {
                    extOffered = true;
                    if (!server && settings.bearerToken().isPresent()) {
                        h.add(DialectRules.AUTHORIZATION, "Bearer " + settings.bearerToken().get());
                    }
                    String codec = codecs.offer(id);
                    codecOffered = codec != null;
                    h.add(DialectRules.EXT, DialectRules.EXT_FLOW_CONTROL + "," + DialectRules.EXT_CHANNEL_NAMES
                            + "," + DialectRules.EXT_STORED_HEADERS + "," + DialectRules.EXT_IMPLICIT_REPLY
                            + "," + DialectRules.EXT_IMPLICIT_OPEN + "," + DialectRules.EXT_TRACED_REFS + (wire.canPassFileDescriptors() ? "," + DialectRules.EXT_FD_PASSING : "")
                            + (codec != null ? "," + codec : ""));
                }
            } else if (d == Dialect.V0_1_0) {
                h.add(DialectRules.PARENT_REF, byteStream ? "" : Long.toString(parent.ref));
                assoc = parent.id;
                // a jschan client only accepts server-opened streams as pushes tied to its own stream
                push = server;
                if (push) {
                    h.add(":status", "200").add(":version", "HTTP/1.1").add(":path", "/")
                            .add(":scheme", "https").add(":host", "localhost");
                    if (jschan) {
                        s.skipHttpHead(); // node-spdy answers a push with HTTP response text first
                    }
                }
            } else {
                h.add(DialectRules.PARENT_REF, Long.toString(parent.ref));
            }
            s.pushed = push;
            if (trace != null) {
                TraceHeaders.add(h, trace);
            }
            if (fd != null) {
                h.add(DialectRules.FD, "1");
                writer.enqueue(FrameWriter.Outbound.control(new SynStreamFrame(id, assoc, 0, true, false, h.build()),
                        new java.io.FileDescriptor[] {fd}));
            } else if (codecOffered) {
                // nothing is encoded before the answer to this offer: the frame must leave now, not with the first DATA
                writer.writeSoon(FrameWriter.Outbound.control(new SynStreamFrame(id, assoc, 0, finOnOpen, push, h.build())));
            } else {
                writer.enqueue(FrameWriter.Outbound.control(new SynStreamFrame(id, assoc, 0, finOnOpen, push, h.build())));
            }
            return s;
        } finally {
            openLock.unlock();
        }
    }

    private void checkCanOpen() {
        LibchanException f = failure;
        if (f != null) {
            throw f;
        }
        if (state != State.OPEN) {
            throw new ChannelClosedException("session closed");
        }
        if (goAwayReceived) {
            throw new ChannelClosedException("the peer is going away (GOAWAY): open a new session");
        }
    }

    /** Throws when {@code s} can no longer be written on. */
    void checkOpenForWrite(SessionStream s) {
        LibchanException f = failure;
        if (f != null && s.resetBy == null) {
            throw f;
        }
        s.checkWritable();
    }

    /** {@link #trySendMessage}: the message went out. */
    static final Object SENT = new Object();
    /** {@link #trySendMessage}: another send holds the stream; nothing was done. */
    static final Object BUSY = new Object();

    /** A message encoded (its nested streams opened) that waits for the peer's window. */
    static final class Encoded {
        final byte[] bytes;
        final References refs;

        Encoded(byte[] bytes, References refs) {
            this.bytes = bytes;
            this.refs = refs;
        }
    }

    /**
     * Sends {@code message} now if nothing would make the caller wait: returns {@link #SENT}; or
     * {@link #BUSY} when another send holds the stream (nothing done); or the message
     * {@link Encoded}, when the peer's window does not take it yet, for {@link #sendEncoded} on a
     * thread that may wait. Never blocks (the frames of a writer that must flush later wait in its
     * buffer), so an I/O thread or a direct-executor callback may call it.
     */
    Object trySendMessage(SessionStream s, Object message) {
        // a client still waiting for the answer to its codec offer must wait: on a thread that may
        if (!codecs.decided() && codecs.awaitingAnswer() || !s.sendLock.tryLock()) {
            return BUSY;
        }
        try {
            checkOpenForWrite(s);
            References refs = new References(this, s);
            byte[] bytes;
            try {
                bytes = codec().encode(message, refs);
                checkFitsOneFrame(bytes.length);
                if (!flow.tryAcquireAll(s, bytes.length)) {
                    return new Encoded(bytes, refs);
                }
                writeGranted(s, bytes, dialect == Dialect.V0_1_0);
            } catch (RuntimeException e) {
                refs.abandon();
                throw e;
            }
            refs.started();
            observed.messageSent(bytes.length);
            return SENT;
        } finally {
            s.sendLock.unlock();
        }
    }

    /** Writes a message {@link #trySendMessage} encoded, waiting for the window as a send does. */
    void sendEncoded(SessionStream s, Encoded message, long deadline) {
        lockForSend(s, deadline);
        try {
            try {
                checkOpenForWrite(s);
                writeData(s, message.bytes, 0, message.bytes.length, deadline, dialect == Dialect.V0_1_0, false, null);
            } catch (RuntimeException e) {
                message.refs.abandon();
                throw e;
            }
            message.refs.started();
            observed.messageSent(message.bytes.length);
        } finally {
            s.sendLock.unlock();
        }
    }

    /** DATA frames for {@code bytes}, whose window was taken already. */
    private void writeGranted(SessionStream s, byte[] bytes, boolean oneFrame) {
        int pos = 0;
        do {
            int n = oneFrame ? bytes.length : Math.min(bytes.length - pos, maxDataChunk);
            writer.write(FrameWriter.Outbound.data(s.id, false, bytes, pos, n));
            pos += n;
        } while (pos < bytes.length);
    }

    void sendMessage(SessionStream s, Object message, long deadline) {
        lockForSend(s, deadline);
        try {
            checkOpenForWrite(s);
            References refs = new References(this, s);
            int length;
            try {
                LentEncoding encoded = encode(message, refs);
                length = encoded.length();
                checkFitsOneFrame(length);
                writeData(s, encoded.array(), 0, length, deadline, dialect == Dialect.V0_1_0, false, encoded);
            } catch (RuntimeException e) {
                refs.abandon();
                throw e;
            }
            refs.started();
            observed.messageSent(length);
        } finally {
            s.sendLock.unlock();
        }
    }

    /**
     * {@code message} encoded: in the codec's own buffer when the codec lends one and the message
     * is small enough for every wire to copy it at once (see {@link Wire#writeFrame}), else in an
     * array of its own. A lent buffer is given back by the frame writer once the message's last
     * frame is written; a send that fails half-way simply drops it.
     */
    private LentEncoding encode(Object message, References refs) {
        MessageCodec c = codec();
        if (!(c instanceof LentEncoding.Lending)) {
            return new OwnedEncoding(c.encode(message, refs));
        }
        LentEncoding lent = ((LentEncoding.Lending) c).encodeLent(message, refs);
        if (lent.length() >= FrameWriter.LARGE_FRAME) {
            // a large frame may be written by reference, after this send returns: no buffer of the codec's in it
            OwnedEncoding own = new OwnedEncoding(lent.copy());
            lent.giveBack();
            return own;
        }
        return lent;
    }

    /** A v0.1.0 peer takes a message in one DATA frame only; jschan's frames are smaller still. */
    private void checkFitsOneFrame(int length) {
        if (dialect != Dialect.V0_1_0) {
            return;
        }
        if (jschan && length > jschanMaxMessage) {
            throw new MessageTooLargeException("message of " + length + " bytes is over the " + jschanMaxMessage
                    + " bytes a jschan peer can take in one frame" + (jschanMaxMessage < DialectRules.JSCHAN_MAX_MESSAGE
                    ? " (one TLS record)" : ""));
        }
        if (length > SpdyProtocol.MAX_FRAME_LENGTH) {
            throw new MessageTooLargeException("message of " + length
                    + " bytes is over the largest DATA frame, which a v0.1.0 peer needs it in");
        }
    }

    void sendBytes(SessionStream s, byte[] b, int off, int len) {
        lockForSend(s, Long.MAX_VALUE);
        try {
            checkOpenForWrite(s);
            writeData(s, b, off, len, Long.MAX_VALUE, false, true, null);
            observed.streamBytesSent(len);
        } finally {
            s.sendLock.unlock();
        }
    }

    // ------------------------------------------------------------------ sends that never wait

    /** Streams whose {@link SessionStream#sendable} waits for the window or the connection. */
    private final java.util.Set<SessionStream> sendWaiters = ConcurrentHashMap.newKeySet();

    /**
     * Takes up to {@code max} bytes of {@code s}'s send window without waiting: 0 when the peer's
     * window is closed or the connection's output is backed up (see {@link #whenSendable}).
     *
     * @throws LibchanException when the stream can no longer send (reset, closed, session lost)
     */
    int tryReserveSend(SessionStream s, int max) {
        if (writer.backedUp()) {
            checkOpenForWrite(s);
            return 0;
        }
        return flow.tryAcquireUpTo(s, Math.min(max, maxDataChunk));
    }

    /**
     * Writes {@code b[off..off+len)} (kept by the frame writer: the caller must not reuse it) as a
     * DATA frame within {@code reserved} bytes taken by {@link #tryReserveSend}, and gives back the
     * rest. Never waits for the window; on the connection's I/O thread it never blocks at all.
     */
    void sendReserved(SessionStream s, byte[] b, int off, int len, int reserved) {
        flow.refund(s, reserved - len);
        if (len == 0) {
            return;
        }
        s.sendLock.lock(); // held only as long as a frame is queued: the stream's FIN must not overtake it
        try {
            checkOpenForWrite(s);
            writer.write(FrameWriter.Outbound.data(s.id, false, b, off, len));
            observed.streamBytesSent(len);
        } finally {
            s.sendLock.unlock();
        }
    }

    /**
     * As {@link #sendReserved(SessionStream, byte[], int, int, int)} for {@code payload}'s remaining
     * bytes, which are written, or copied, before this returns: the caller may read into the buffer
     * again at once. On the connection's I/O thread with nobody else writing they leave from the
     * buffer itself (no copy, no array per frame); otherwise a copy is queued.
     */
    void sendReserved(SessionStream s, ByteBuffer payload, int reserved) {
        int len = payload.remaining();
        flow.refund(s, reserved - len);
        if (len == 0) {
            return;
        }
        s.sendLock.lock(); // held only as long as a frame is queued: the stream's FIN must not overtake it
        try {
            checkOpenForWrite(s);
            if (!writer.tryWriteNow(s.id, payload)) {
                byte[] copy = new byte[len];
                payload.duplicate().get(copy);
                writer.write(FrameWriter.Outbound.data(s.id, false, copy, 0, len));
            }
            observed.streamBytesSent(len);
        } finally {
            s.sendLock.unlock();
        }
    }

    /**
     * Runs {@code ready} once, when {@code s} may send again: the peer's window for it opened, or
     * the connection's output drained (at once if that is so now). On whatever thread finds out:
     * it must not block.
     */
    void whenSendable(SessionStream s, Runnable ready) {
        s.whenSendable(ready);
        sendWaiters.add(s);
        checkSendable(s);
    }

    private void checkSendable(SessionStream s) {
        if (!s.awaitsSendable() || state == State.DONE) {
            return;
        }
        if (!writer.backedUp()) {
            if (flow.windowOpen(s)) {
                fireSendable(s);
            }
            return;
        }
        if (wire.ioExecutor() != null) {
            // the backlog may drain without the socket ever filling (no onWritable to tell): look again soon
            try {
                wire.scheduleOnIoThread(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1), () -> checkSendable(s));
            } catch (UnsupportedOperationException e) {
                // a wire without timers: only a window update or onWritable wakes the stream
            }
        }
    }

    /** The peer's window grew for {@code s} (null: for every stream, the session's window or SETTINGS). */
    void sendWindowGrew(SessionStream s) {
        if (sendWaiters.isEmpty()) {
            return;
        }
        if (s != null) {
            if (sendWaiters.contains(s)) {
                fireSendable(s);
            }
            return;
        }
        for (SessionStream waiting : sendWaiters) {
            fireSendable(waiting);
        }
    }

    /**
     * Hashing a stream costs its identity hash, which the JVM stores by inflating the stream's
     * monitor when the caller holds it (the reader finishes a stream inside its synchronized
     * onData): a malloc'd monitor per stream, measured at 1.5% of a round trip's CPU. Nearly
     * every stream ends with nobody ever having waited to send on it, so look before hashing (at
     * the stream's own flag, set before it is added: the set's size may lag an add in progress).
     */
    private void forgetSendWaiter(SessionStream s) {
        if (s.everAwaitedSendable()) {
            sendWaiters.remove(s);
        }
    }

    private void fireSendable(SessionStream s) {
        forgetSendWaiter(s);
        Runnable r = s.takeSendable();
        if (r != null) {
            r.run();
        }
    }

    private static void lockForSend(SessionStream s, long deadline) {
        try {
            if (deadline == Long.MAX_VALUE) {
                s.sendLock.lockInterruptibly();
            } else if (!s.sendLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new ChannelTimeoutException("send timed out waiting for an earlier send on the channel");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelInterruptedException(e);
        }
    }

    /**
     * @param borrowed {@code b} is the caller's, reused once this returns (see {@link FrameWriter#writeBorrowed})
     * @param lent the encoding {@code b} lies in, given back once the last frame is written; or null
     */
    private void writeData(SessionStream s, byte[] b, int off, int len, long deadline, boolean oneFrame, boolean borrowed,
            LentEncoding lent) {
        int pos = 0;
        do {
            int want = oneFrame ? len : Math.min(len - pos, maxDataChunk);
            // never leave a message half-written: a first chunk the peer's window surely returns to
            // (half of it: credit comes back in batches) waits whole, and once bytes are out the
            // rest follows whatever the deadline
            boolean whole = oneFrame || (pos == 0 && want <= flow.peerInitialWindow() / 2);
            int granted = want == 0 ? 0 : flow.acquire(s, want, whole, pos == 0 ? deadline : Long.MAX_VALUE);
            FrameWriter.Outbound frame = lent != null && pos + granted == len
                    ? FrameWriter.Outbound.data(s.id, b, off + pos, granted, lent)
                    : FrameWriter.Outbound.data(s.id, false, b, off + pos, granted);
            if (borrowed) {
                writer.writeBorrowed(frame);
            } else {
                writer.write(frame);
            }
            pos += granted;
        } while (pos < len);
    }

    /** Our FIN on {@code s} (close of a Sender or a byte stream's output), once. */
    void finish(SessionStream s, boolean fromReader) {
        if (fromReader) {
            if (!s.localFin) {
                s.localFin = true;
                // answering the peer's FIN: nobody waits for it, so it rides on the next write
                writer.writeLazy(FrameWriter.Outbound.data(s.id, true, EMPTY, 0, 0));
            }
            maybeRemove(s);
            return;
        }
        s.sendLock.lock();
        try {
            if (s.localFin || s.resetBy != null) {
                return;
            }
            s.localFin = true;
            if (failure == null) {
                // not flushed on its own: it leaves with the next write, or soon after
                writer.writeSoon(FrameWriter.Outbound.data(s.id, true, EMPTY, 0, 0));
            }
        } finally {
            s.sendLock.unlock();
        }
        maybeRemove(s);
        if (s.pushed) {
            endIfDrained(); // the last thing a going-away session waited for, perhaps
        }
    }

    /** A Receiver was closed by the application: tell the peer to stop (RST CANCEL). */
    void receiverClosed(SessionStream s) {
        if (!s.remoteFinished()) {
            resetStream(s, SpdyStatus.RST_CANCEL, false);
        }
    }

    void resetStream(SessionStream s, int status, boolean fromReader) {
        if (s.resetBy == null) {
            s.resetBy = new ChannelClosedException("channel reset (" + SpdyStatus.rstName(status) + ")");
        }
        RstStreamFrame rst = new RstStreamFrame(s.id, status);
        if (fromReader) {
            writeSoon(rst);
        } else if (failure == null) {
            try {
                writer.write(FrameWriter.Outbound.control(rst));
            } catch (LibchanException e) {
                // the session is gone
            }
        }
        flow.wakeAll();
        remove(s);
    }

    /**
     * One of the peer's streams named by a refused message ({@link Orphans}): reset with CANCEL.
     * A message that names it after all (a peer that opens streams late can make an earlier
     * message's stream look like one of the refused message's) resolves it to this ended stream.
     * Never blocks.
     */
    void resetOrphan(SessionStream s) {
        LOG.log(Level.DEBUG, () -> "resetting " + s + ": the message naming it was refused");
        ChannelClosedException reset = new ChannelClosedException("channel reset (CANCEL): the message that named it was refused");
        s.resetBy = reset;
        s.fail(reset);
        if (!s.everClaimed()) {
            ended.resetUnclaimed(s);
        }
        resetStream(s, SpdyStatus.RST_CANCEL, true);
    }

    /**
     * A stream opened for a message that was not sent: reset, or only forgotten if it was opened
     * implicitly (the peer never heard of it, and never will).
     */
    void abandon(SessionStream s) {
        if (!s.openedImplicitly) {
            resetStream(s, SpdyStatus.RST_CANCEL, false);
            return;
        }
        if (s.resetBy == null) {
            s.resetBy = new ChannelClosedException("channel reset (the message that opened it was not sent)");
        }
        remove(s);
    }

    private void resetStreamId(int id, int status, String why) {
        LOG.log(Level.DEBUG, () -> "resetting stream " + id + ": " + why);
        SessionStream s = streams.get(id);
        if (s != null) {
            s.fail(new ProtocolException(why));
            resetStream(s, status, true);
        } else {
            ended.reset(id);
            writeSoon(new RstStreamFrame(id, status));
        }
    }

    void writeSoon(SpdyFrame frame) {
        writer.writeSoon(FrameWriter.Outbound.control(frame));
    }

    private void writeSoon(FrameWriter.Outbound frame) {
        writer.writeSoon(frame);
    }

    void maybeRemove(SessionStream s) {
        if ((s.localFin || s.resetBy != null) && (s.remoteFinished() || s.resetBy != null)) {
            remove(s);
        }
    }

    private void remove(SessionStream s) {
        forgetSendWaiter(s);
        if (streams.remove(s.id, s)) {
            if (s.resetBy != null) {
                ended.reset(s.id);
            }
            if (!s.local) {
                refLock.lock();
                try {
                    peerRefs.remove(s.ref, s);
                } finally {
                    refLock.unlock();
                }
            }
            endIfDrained();
        }
    }

    /** After a GOAWAY, either way: ends the session once no stream waits for anything more. */
    private void endIfDrained() {
        if (((state == State.CLOSING && goAwaySent) || goAwayReceived) && drained()) {
            end(null);
        }
    }

    /**
     * True when no stream waits for anything more: none is open, or only streams we pushed whose
     * half we closed (a pushed stream is half-closed for its receiver from the start: SPDY/3 gives
     * it no FIN to send, so none is waited for).
     */
    private boolean drained() {
        for (SessionStream s : streams.values()) {
            if (!(s.pushed && s.localFin)) {
                return false;
            }
        }
        return true;
    }

    // ================================================================== decoding references

    /** Decodes a message that arrived on {@code carrier}, whose references it resolves. */
    <T> T decode(byte[] bytes, int length, Class<T> type, SessionStream carrier) {
        return codec().decodeFramed(bytes, 0, length, type, carrier);
    }

    <T> T decode(byte[][] blocks, int length, Class<T> type, SessionStream carrier) {
        return codec().decodeFramed(blocks, length, type, carrier);
    }

    /** What {@code ref}, in a message that arrived on {@code carrier}, names: claimed as the kind it asks for. */
    Object resolve(Reference ref, SessionStream carrier) {
        SessionStream s = awaitPeerRef(ref, carrier);
        return s.claim(ref.kind(), kind -> {
            switch (kind) {
                case SENDER:
                    s.discardInbound();
                    return new StreamSender(s);
                case FILE_DESCRIPTOR: {
                    java.io.FileDescriptor fd = s.descriptor();
                    if (fd == null) {
                        throw new ProtocolException("reference " + ref.id() + " names a stream that carries no file descriptor");
                    }
                    s.discardInbound();
                    finish(s, false);
                    return fd;
                }
                case RECEIVER: {
                    ChannelQueue queue = new ChannelQueue(0);
                    s.receiveMessagesInto(queue);
                    return new StreamReceiver(s, queue);
                }
                default: {
                    ByteBufferPipe inbound = new ByteBufferPipe(flow.ourWindow());
                    s.receiveBytesInto(inbound);
                    StreamByteStream bytes = new StreamByteStream(s, inbound);
                    if (kind == ReferenceKind.BYTE_STREAM_READ) {
                        bytes.closeWrite(); // we only read: our side is done
                    }
                    return bytes;
                }
            }
        });
    }

    /**
     * The stream the peer opened with {@code ref}, waiting (bounded) for a SYN_STREAM still in
     * flight; a stream the peer opened and reset before this resolves to that ended stream.
     */
    private SessionStream awaitPeerRef(Reference reference, SessionStream carrier) {
        long ref = reference.id();
        SessionStream known = peerRefs.get(ref);
        if (known != null) {
            return known;
        }
        if (implicitOpens && DialectRules.isImplicitRef(ref)) {
            return openedByReference(ref, carrier, reference.traceparent());
        }
        if (wire.onIoThread()) {
            SessionStream now = peerRefOrFailure(ref);
            if (now != null) {
                return now;
            }
            throw new io.libchan.internal.queue.WouldBlockException(executor());
        }
        long deadline = System.nanoTime() + settings.refWaitTimeout().toNanos();
        refLock.lock();
        try {
            while (true) {
                SessionStream s = peerRefOrFailure(ref);
                if (s != null) {
                    return s;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new ProtocolException("the message refers to stream ref " + ref
                            + ", which the peer did not open within " + settings.refWaitTimeout().toMillis() + " ms");
                }
                refsChanged.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelInterruptedException(e);
        } finally {
            refLock.unlock();
        }
    }

    /** The stream the peer opened with {@code ref}, or null if none yet; throws once the session failed. */
    private SessionStream peerRefOrFailure(long ref) {
        SessionStream s = peerRefs.get(ref);
        if (s != null) {
            return s;
        }
        s = ended.unclaimed(ref); // opened, then reset before the message was read: an ended stream
        if (s != null) {
            return s;
        }
        LibchanException f = failure;
        if (f != null) {
            throw f;
        }
        return null;
    }

    /**
     * The stream a reference of the implicit-open extension names, created now if this is the
     * first reference to it: the peer wrote no frame on it, so it starts remotely finished, in the
     * trace the reference carries ({@code traceparent}, traced-refs), else of the stream that carried
     * it (PROTOCOL.md section 8).
     */
    private SessionStream openedByReference(long ref, SessionStream carrier, String traceparent) {
        int id = (int) (ref & 0x7fff_ffffL);
        if (id == 0 || !peerParity(id)) {
            throw new ProtocolException("the message refers to stream " + id + ", which the peer cannot open");
        }
        refLock.lock();
        try {
            SessionStream s = peerRefOrFailure(ref);
            if (s != null) {
                return s;
            }
            if (streams.containsKey(id)) {
                throw new ProtocolException("the message refers to stream " + id + " as new, but it is open already");
            }
            if (streams.size() >= settings.maxStreams()) {
                throw new ProtocolException("the message opens stream " + id + " past the limit of "
                        + settings.maxStreams() + " streams");
            }
            s = new SessionStream(this, id, ref, false, false, null);
            s.trace = traceparent != null ? TraceHeaders.of(traceparent, null) : carrier.trace;
            s.onData(EMPTY, true);
            Integer status = earlyResets.remove(id);
            if (status != null) {
                // the peer gave up on it before we read the message: whoever sends on it is told so
                s.resetBy = new ChannelClosedException("the peer reset the channel (" + SpdyStatus.rstName(status) + ")");
                return s;
            }
            streams.put(id, s);
            peerRefs.put(ref, s);
            return s;
        } finally {
            refLock.unlock();
        }
    }

    // ================================================================== Transport

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
    public java.util.List<java.security.cert.X509Certificate> peerCertificates() {
        return wire.peerCertificates();
    }

    /**
     * The name of the codec the session's messages are in, once agreed (PROTOCOL.md section 8),
     * else empty: a client waiting for the answer to its offer, a server before the peer's first stream.
     */
    public Optional<String> agreedCodec() {
        return Optional.ofNullable(codecs.decidedCodec()).map(MessageCodec::name);
    }

    /** True once a Java peer showed itself with the {@code libchan-ext} header. */
    public boolean peerIsJava() {
        return peerIsJava;
    }

    /**
     * True when {@code thread}, waiting for a message on a channel of this session, may read the
     * connection meanwhile ({@link ReadAssist}): a platform thread not already inside this
     * session's read batch, and a Java peer, whose flow-control windows mean a read never has to
     * pause for the application to catch up (which must not happen on an application's thread).
     */
    public boolean mayReadWhileWaiting(Thread thread) {
        return peerIsJava && thread != batchReader && !SessionThreads.isVirtual(thread);
    }

    /** What lets threads waiting on a queue this session feeds read its connection, or null. */
    ReadAssist readAssist() {
        return wire.readAssist();
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN && !goAwayReceived;
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> closeFuture() {
        return closed;
    }

    @Override
    public void close() {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        accepted.closeSend();
        if (failure == null) {
            try {
                writer.write(FrameWriter.Outbound.control(new GoAwayFrame(lastPeerStreamId, SpdyStatus.GOAWAY_OK)));
            } catch (LibchanException e) {
                return;
            }
        }
        goAwaySent = true; // from now on the last stream to finish may end the session
        if (drained()) {
            end(null);
        } else {
            startDrainTimer();
        }
    }

    /**
     * True when the session has been going away (GOAWAY sent or received, channels still open) for
     * more than twice its drain timeout at {@code now} ({@link System#nanoTime()}) and has not ended:
     * the drain timer, which ends it after one drain timeout, did not. For health checks.
     */
    @Override
    public boolean drainOverdue(long now) {
        long started = drainStarted;
        return started != 0 && state != State.DONE && now - started > 2 * settings.drainTimeout().toNanos();
    }

    /** After a GOAWAY (sent or received): the session ends at the latest after {@code drainTimeout}. Once. */
    private synchronized void startDrainTimer() {
        if (drainTimer != null || state == State.DONE) {
            return;
        }
        drainStarted = Math.max(1, System.nanoTime());
        drainTimer = SessionThreads.timer(settings).schedule(() -> end(new ConnectionLostException(
                "the session went away (GOAWAY) but channels were still open after the drain timeout of "
                        + settings.drainTimeout().toMillis() + " ms (" + wire.describe() + ")")),
                settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void abort() {
        aborted = true; // our own doing: not a failure to log
        end(new ConnectionLostException("session aborted"));
    }

    /**
     * Turns the peer away (an authenticating server refused it): RST_STREAM REFUSED_STREAM on
     * {@code first}, GOAWAY with last-good-stream-id 0 (nothing of the peer's was processed), both
     * written before the connection closes. PROTOCOL.md section 4.6.
     */
    @Override
    public void refuse(Receiver first) {
        if (first instanceof StreamReceiver r && r.stream().session() == this) {
            resetStream(r.stream(), SpdyStatus.RST_REFUSED_STREAM, true);
        } else {
            first.close();
        }
        if (state == State.OPEN && failure == null) {
            writeSoon(new GoAwayFrame(0, SpdyStatus.GOAWAY_OK));
            goAwaySent = true;
            if (!onReaderThatMustNotBlock()) {
                writer.drainQueued(settings.drainTimeout().toMillis());
            } // else end() drains it, off the reader's thread
        }
        aborted = true; // our own doing: not a failure to log
        end(new ChannelClosedException("session refused"));
    }

    private void protocolError(int goAwayStatus, String message, Throwable cause) {
        observed.protocolError(SpdyStatus.goAwayName(goAwayStatus), "session", message);
        LOG.log(Level.DEBUG, "protocol error, closing session " + wire.describe(), cause);
        writer.writeSoon(FrameWriter.Outbound.control(new GoAwayFrame(lastPeerStreamId, goAwayStatus)));
        if (!onReaderThatMustNotBlock()) {
            writer.drainQueued(settings.drainTimeout().toMillis()); // the GOAWAY goes out before the connection closes
        } // else end() drains it, off the reader's thread
        end(new ProtocolException("protocol error from " + wire.describe() + ": " + message, true, cause));
    }

    private void scheduleKeepAlive(long delayNanos) {
        ScheduledFuture<?> ticking;
        try {
            // at least a millisecond: a zero keepAliveTimeout must not spin the timer
            ticking = SessionThreads.timer(settings).schedule(this::keepAliveTick, Math.max(delayNanos, 1_000_000),
                    TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // the timer is shutting down with the library: no keep-alive left to run
        }
        keepAliveTimer = ticking;
        if (state == State.DONE) {
            ticking.cancel(false); // ended meanwhile: finishEnd may have cancelled the one before
        }
    }

    private void keepAliveTick() {
        if (state == State.DONE) {
            return;
        }
        // we hold the peer back, or it holds us back (its window, TCP's): a slow peer, not a dead one
        boolean heldBack = readingPaused || wire.outputBlocked() || flow.sendersWaitForWindow();
        KeepAlive.Decision next = keepAlive.tick(System.nanoTime(), lastFrameNanos, heldBack);
        if (next.lost()) {
            end(new ConnectionLostException("the peer stopped answering keep-alive PINGs (" + wire.describe() + ")"));
            return;
        }
        if (next.pingId() != 0) {
            writeSoon(new PingFrame(next.pingId()));
        }
        scheduleKeepAlive(next.delayNanos());
    }

    /** Ends the session: {@code error} null for a clean end. Idempotent. */
    private void end(LibchanException error) {
        synchronized (this) {
            if (state == State.DONE) {
                return;
            }
            state = State.DONE;
            failure = error != null ? error : new ChannelClosedException("session closed");
        }
        if (!server) {
            codecs.unanswered(0, dialect); // a send waiting for the answer fails as the session did
        }
        if (error != null && !aborted) {
            // one line per failed session, with the peer and the reason; the stack (peer-caused
            // faults, mostly) only at FINE, where the cause was logged
            LOG.log(Level.WARNING, () -> "session " + wire.describe() + " failed: " + error.getMessage());
        }
        observed.ended(aborted ? null : error);
        if (onReaderThatMustNotBlock()) {
            // an I/O thread serving other connections: draining and closing may wait, so they run elsewhere
            try {
                executor.execute(() -> {
                    writer.drainQueued(settings.drainTimeout().toMillis()); // a GOAWAY or FINs still owed
                    finishEnd(error);
                });
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the executor is shutting down: finish here
            }
        }
        finishEnd(error);
    }

    /** On an I/O thread that serves other connections too, with a wire whose last writes may block. */
    private boolean onReaderThatMustNotBlock() {
        return !wire.readerMayBlock() && Thread.currentThread() == batchReader && wire.ioExecutor() == null;
    }

    private void finishEnd(LibchanException error) {
        firstChannel.cancel();
        ScheduledFuture<?> ticking = keepAliveTimer;
        if (ticking != null) {
            ticking.cancel(false);
        }
        ScheduledFuture<?> drain = drainTimer;
        if (drain != null) {
            drain.cancel(false);
        }
        LibchanException f = failure;
        if (error != null) {
            accepted.fail(error);
        } else {
            accepted.closeSend();
        }
        for (SessionStream s : streams.values()) {
            if (s.resetBy == null) {
                s.resetBy = f;
            }
            s.fail(error != null ? error : new ConnectionLostException("session closed with the channel still open"));
        }
        streams.clear();
        refLock.lock();
        try {
            refsChanged.signalAll();
        } finally {
            refLock.unlock();
        }
        flow.wakeAll();
        flow.ended(); // what the session still holds no longer counts against the budget
        if (error == null) {
            writer.drainQueued(settings.drainTimeout().toMillis()); // the FINs queued for the peer go out first
        }
        wire.close();
        writer.close();
        decoder.close();
        if (error != null) {
            closed.completeExceptionally(error);
        } else {
            closed.complete(null);
        }
    }

    @Override
    public TransportInfo info() {
        return observed.info();
    }

    /** Where this session's streams report messages and refusals. */
    SessionObservation observed() {
        return observed;
    }

    @Override
    public String toString() {
        return "SpdySession(" + wire.describe() + (server ? ", server" : ", client") + ")";
    }
}
