package io.libchan.internal.session;

import io.libchan.ChannelClosedException;
import io.libchan.LibchanException;
import io.libchan.ProtocolException;
import io.libchan.internal.bytes.ByteBufferPipe;
import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.ReadAssist;
import io.libchan.spi.MessageFramer;
import io.libchan.spi.ReferenceKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One SPDY stream of a session: one channel or one byte stream. The side that opened it may be
 * either peer; which way data flows is known only once the stream is claimed (by the message that
 * references it, or by the code that opened it), so inbound bytes wait in {@link Mode#UNCLAIMED}
 * until then.
 *
 * <p>Inbound state is guarded by {@code this} (the reader thread delivers, a receiver claims);
 * outbound sends are serialised by {@link #sendLock} so one message's frames are contiguous.
 */
final class SessionStream implements io.libchan.spi.DecodeContext {
    enum Mode { UNCLAIMED, MESSAGES, BYTES, DISCARD }

    private static final byte[] EMPTY = new byte[0];

    private final SpdySession session;
    final int id;
    final long ref;
    final boolean local;
    final boolean topLevel;
    final String name;
    final ReentrantLock sendLock = new ReentrantLock();

    /** For a nested stream the peer opened: the {@code libchan-parent-ref} it named, else -1. */
    long parentRef = -1;
    /** For a top-level stream the peer opened: the token of its {@code authorization: Bearer} header, else null. */
    String bearerToken;
    /**
     * The W3C trace headers ({@link io.libchan.internal.trace.TraceHeaders}) the stream was opened in,
     * or null for none: those of its SYN_STREAM (the peer's, or ours), or, for a stream opened by its
     * reference alone, those of the stream that carried the reference (PROTOCOL.md section 8). Shown to
     * the application only for streams the peer opened.
     */
    java.util.Map<String, String> trace;
    /** For a reply channel of ours opened by its reference in its own trace (traced-refs): the traceparent its reference carries. */
    String refTraceparent;
    /** We opened it as a server push (UNIDIRECTIONAL, v0.1.0): the peer's half is closed from the start. */
    boolean pushed;

    // guarded by this (mode and claimed are also read without it):
    private volatile Mode mode = Mode.UNCLAIMED;
    private List<byte[]> unclaimed; // made when data comes before the claim, which is rare
    private MessageFramer framer;
    /** The message still arriving (MESSAGES mode); null before. */
    private PartialMessage partial;
    private ChannelQueue queue;
    private ByteBufferPipe pipe;
    private ReferenceKind claimedKind;
    private volatile Object claimed;
    /**
     * The peer's last stream id when the last whole message on this stream arrived (or when it
     * opened): the streams the peer opens for the next message have higher ids ({@link Orphans}).
     */
    private int namedAfter;
    private volatile boolean remoteFin; // written under this; read without it
    /**
     * A partial message may be owed credit once the whole messages before it are taken (written
     * under this, read without it). The reader sets it before it looks at the queue and a
     * receiver reads it after taking from the queue, so one of the two always credits.
     */
    private volatile boolean partialPending;
    private java.io.FileDescriptor descriptor; // a passed file descriptor, for libchan-fd streams
    /** Drops the HTTP head a node-spdy peer writes first on this stream; null when none is expected or it is over. */
    private HttpHeadSkipper httpHead;
    private int earlyCredit; // bytes of the partial message already returned to the window
    /** The stream failed (reset, or its session ended) before it was claimed: a late claim fails the same way. */
    private LibchanException failedWith;
    /** This stream counts in the session's streams that are in the middle of a message. */
    private boolean unfinishedCounted;
    /** The room of the unfinished message's last block, as counted against the budget. */
    private int slackCounted;

    /** Opened by its reference alone (implicit-open): no frame of ours named it before the message did. */
    boolean openedImplicitly;
    /** For an implicitly opened stream of ours: the local stream whose message named it, else 0. */
    int openedFor;

    // guarded by sendLock (written) / volatile (read anywhere):
    volatile boolean localFin;
    volatile LibchanException resetBy;

    /** Runs once the stream may send again ({@link SpdySession#whenSendable}); taken by whoever runs it. */
    private volatile Runnable sendable;
    private volatile boolean everAwaitedSendable;
    // a field of the stream rather than an AtomicReference: one object less per stream (a reply channel each)
    private static final java.util.concurrent.atomic.AtomicReferenceFieldUpdater<SessionStream, Runnable> SENDABLE =
            java.util.concurrent.atomic.AtomicReferenceFieldUpdater.newUpdater(SessionStream.class, Runnable.class, "sendable");

    // guarded by the session's flow-control lock:
    /** WINDOW_UPDATE credit minus bytes sent: the send window is the peer's initial window plus this. */
    long sendBalance;
    int creditPending;

    SessionStream(SpdySession session, int id, long ref, boolean local, boolean topLevel, String name) {
        this.session = session;
        this.id = id;
        this.ref = ref;
        this.local = local;
        this.topLevel = topLevel;
        this.name = name;
        this.namedAfter = session.lastPeerStreamId();
    }

    SpdySession session() {
        return session;
    }

    /** Resolves a reference in a message that arrived on this stream (the carrier of what it names). */
    @Override
    public Object resolve(io.libchan.spi.Reference reference) {
        return session.resolve(reference, this);
    }

    void whenSendable(Runnable ready) {
        everAwaitedSendable = true; // before the session adds this stream to its waiters (see SpdySession#forgetSendWaiter)
        sendable = ready;
    }

    /** True once anything waited for this stream to send: only then can it be among the session's send waiters. */
    boolean everAwaitedSendable() {
        return everAwaitedSendable;
    }

    boolean awaitsSendable() {
        return sendable != null;
    }

    /** What waits for the stream to send again, taken (null if nothing waits or another thread took it). */
    Runnable takeSendable() {
        return SENDABLE.getAndSet(this, null);
    }

    /**
     * node-spdy puts HTTP response header text first on a pushed stream when it answers on it
     * (jschan skips it): drop it (see {@link HttpHeadSkipper}).
     */
    synchronized void skipHttpHead() {
        httpHead = new HttpHeadSkipper();
    }

    // ------------------------------------------------------------------ inbound (reader thread)

    /** DATA from the peer, a whole array we may keep. Returns false if the peer sent data after its FIN. */
    synchronized boolean onData(byte[] data, boolean fin) {
        return onData(data, 0, data.length, fin, true);
    }

    /**
     * DATA from the peer: {@code data[off..off+len)}, which may be kept only when {@code owned}
     * (else it is a slice of the connection's read buffer, copied where it must outlive the call).
     * Returns false if the peer sent data after its FIN.
     */
    synchronized boolean onData(byte[] data, int off, int len, boolean fin, boolean owned) {
        if (remoteFin) {
            return false;
        }
        if (httpHead != null) {
            int skipped = skipHttpHead(data, off, len, fin);
            off += skipped;
            len -= skipped;
        }
        if (len > 0) {
            accept(data, off, len, owned);
        }
        if (fin) {
            remoteFin = true;
            finishInbound();
        }
        return true;
    }

    /** Runs a piece through {@link #httpHead}; returns how many of its first bytes are not data. */
    private int skipHttpHead(byte[] data, int off, int len, boolean fin) {
        int skipped = httpHead.feed(data, off, len);
        if (httpHead.dropped() > 0) {
            session.flow().consumedAndDropped(this, httpHead.dropped());
        }
        byte[] held = httpHead.released();
        if (fin && !httpHead.done()) {
            held = httpHead.finish();
        }
        if (httpHead.done()) {
            httpHead = null;
        }
        if (held != null) {
            accept(held, 0, held.length, true);
        }
        return skipped;
    }

    /** Inbound data for whoever takes this stream's bytes. */
    private void accept(byte[] data, int off, int len, boolean owned) {
        switch (mode) {
            case UNCLAIMED:
                if (unclaimed == null) {
                    unclaimed = new ArrayList<>();
                }
                unclaimed.add(owned && off == 0 && len == data.length ? data : Arrays.copyOfRange(data, off, off + len));
                break;
            case MESSAGES:
                appendMessages(data, off, len, owned);
                break;
            case BYTES:
                session.observed().streamBytesReceived(len);
                if (!pipe.offer(data, off, len)) {
                    session.flow().consumedAndDropped(this, len);
                }
                break;
            default:
                session.flow().consumedAndDropped(this, len);
        }
    }

    private void appendMessages(byte[] data, int off, int len, boolean owned) {
        if (mode != Mode.MESSAGES) {
            return;
        }
        try {
            while (len > 0) {
                int n = framer.feed(data, off, len);
                if (n < 0) {
                    partial.append(data, off, len);
                    creditPartial();
                    break;
                }
                int after = namedAfter;
                namedAfter = session.lastPeerStreamId();
                if (partial.isEmpty()) {
                    // common case: a message whole in this piece
                    byte[] msg = owned && off == 0 && n == data.length ? data : Arrays.copyOfRange(data, off, off + n);
                    session.observed().messageReceived(n);
                    deliver(new EncodedMessage(msg, n, this, n, after, namedAfter), n);
                } else {
                    partial.append(data, off, n);
                    int total = partial.length();
                    int credit = total - earlyCredit;
                    session.observed().messageReceived(total);
                    earlyCredit = 0;
                    deliver(new EncodedMessage(partial.take(), total, this, credit, after, namedAfter), credit);
                }
                off += n;
                len -= n;
            }
            trackUnfinished();
        } catch (LibchanException e) {
            badMessage(e, e instanceof ProtocolException ? "malformed" : "too_large");
        }
    }

    /** A whole message for the receiver; one the queue no longer takes (its receiver closed) is dropped and counted free. */
    private void deliver(EncodedMessage m, int credit) {
        if (!queue.offer(m)) {
            m.release();
            if (credit > 0) {
                consumed(credit);
            }
        }
    }

    /**
     * Keeps what the session's memory budget knows of this stream true: whether it is in the
     * middle of a message, and the room its buffer holds beyond the bytes received (they are
     * counted as received; the empty room of a grown buffer is memory too).
     */
    private void trackUnfinished() {
        boolean now = mode == Mode.MESSAGES && !partial.isEmpty();
        if (now != unfinishedCounted) {
            unfinishedCounted = now;
            session.flow().unfinished(now ? 1 : -1);
        }
        int slack = now ? partial.room() : 0;
        if (slack != slackCounted) {
            session.flow().heldBeyondReceived(slack - slackCounted);
            slackCounted = slack;
        }
    }

    /** The bytes of an unfinished message are dropped: they no longer count against the budget. */
    private void dropPartial() {
        if (!partial.isEmpty()) {
            session.flow().released(partial.length());
            partial.clear();
        }
        trackUnfinished();
    }

    /**
     * The session's memory budget is spent and this stream's unfinished message cannot be
     * finished in time: refused, as one over the size limit is.
     */
    synchronized void refuseUnfinished() {
        if (mode == Mode.MESSAGES && !partial.isEmpty()) {
            badMessage(new io.libchan.MessageTooLargeException("refused: the receiver's memory for unread messages"
                    + " (maxBufferedBytes) is spent and this message could not be finished in time"), "over_budget");
        }
    }

    /**
     * A message longer than the window could never complete if its bytes waited for the
     * application: the bytes of an incomplete message go back to the peer as they arrive (they are
     * bounded by the maximum message size) — but only while no whole message waits unread, so an
     * unread channel holds at most its window plus one message.
     */
    private void creditPartial() {
        int unfinished = partial.length();
        partialPending = unfinished > earlyCredit;
        if (queue.size() > 0) {
            return; // whole messages wait unread: they hold the window; the partial is credited once they are taken
        }
        if (unfinished > earlyCredit) {
            consumed(unfinished - earlyCredit);
            earlyCredit = unfinished;
        }
        partialPending = false;
    }

    /** @param reason for metrics and JFR: {@code too_large}, {@code over_budget}, {@code malformed} */
    private void badMessage(LibchanException e, String reason) {
        session.observed().messageRefused(reason, e.getMessage());
        dropPartial();
        mode = Mode.DISCARD;
        trackUnfinished();
        queue.fail(e);
        session.resetStream(this, e instanceof ProtocolException ? io.libchan.internal.spdy.SpdyStatus.RST_PROTOCOL_ERROR
                : io.libchan.internal.spdy.SpdyStatus.RST_FRAME_TOO_LARGE, true);
        // the refused message's streams, and those of any message after it, will never be used
        session.orphans().refused(this, namedAfter, Integer.MAX_VALUE, false);
    }

    /**
     * A message of this channel, whole when it arrived, failed to decode ({@link ProtocolException}):
     * the channel fails as if the message had been refused on arrival (messages already queued
     * behind it are still delivered), and the streams the peer opened for it, ids in
     * {@code (after, upTo]}, are reset with those of messages still arriving. Any thread but the
     * reader's: takes this stream's lock, never blocks.
     */
    void refuseDecoded(ProtocolException e, int after, int upTo) {
        int from;
        synchronized (this) {
            if (mode != Mode.MESSAGES) {
                return; // failed or ended meanwhile: its streams were dealt with then
            }
            dropPartial();
            mode = Mode.DISCARD;
            trackUnfinished();
            queue.fail(e);
            from = namedAfter;
        }
        session.observed().messageRefused("malformed", e.getMessage());
        session.resetStream(this, io.libchan.internal.spdy.SpdyStatus.RST_PROTOCOL_ERROR, true);
        session.orphans().refused(this, after, upTo, true);
        session.orphans().refused(this, from, Integer.MAX_VALUE, false);
    }

    private void finishInbound() {
        switch (mode) {
            case MESSAGES:
                if (!partial.isEmpty()) {
                    queue.fail(new ProtocolException("channel ended in the middle of a message (" + partial.length() + " bytes)"));
                    dropPartial();
                } else {
                    queue.closeSend();
                }
                // a channel the peer wrote on is finished: close our side too (Go does the same)
                session.finish(this, true);
                break;
            case BYTES:
                pipe.closeWrite();
                break;
            case DISCARD:
                session.maybeRemove(this);
                break;
            default:
                break;
        }
    }

    /** The peer reset the stream, or the session ended: wake everyone waiting on it. */
    synchronized void fail(LibchanException e) {
        if (failedWith == null) {
            failedWith = e;
        }
        if (queue != null) {
            queue.fail(e);
        }
        if (pipe != null) {
            pipe.fail(e);
        }
        if (mode == Mode.MESSAGES) {
            dropPartial();
        }
        // bytes that came before the failure on a stream not claimed yet stay: a late claim still
        // delivers them, then the failure (as a queue delivers what it holds before its failure)
    }

    boolean remoteFinished() {
        return remoteFin;
    }

    /** True while the peer may still send messages on it, or it is not claimed yet (it may be a channel). */
    boolean mayCarryPeerMessages() {
        Mode m = mode;
        return m == Mode.UNCLAIMED || m == Mode.MESSAGES;
    }

    /** True once a message (or the code that opened it) claimed it. */
    boolean everClaimed() {
        return claimed != null;
    }

    // ------------------------------------------------------------------ claiming

    /**
     * Makes this stream carry messages into {@code target} (our reply channel: the peer writes).
     * Bytes that arrived before are delivered first.
     */
    synchronized void receiveMessagesInto(ChannelQueue target) {
        queue = target;
        ReadAssist assist = session.readAssist();
        if (assist != null) {
            target.assistWith(assist);
        }
        framer = session.codec().newFramer();
        partial = new PartialMessage();
        mode = Mode.MESSAGES;
        boolean late = unclaimed != null && !unclaimed.isEmpty();
        if (late) {
            // which streams messages sent before the claim named is not known: none is reset for them
            namedAfter = Integer.MAX_VALUE;
        }
        replayUnclaimed();
        if (late) {
            namedAfter = session.lastPeerStreamId();
        }
        if (failedWith != null) {
            target.fail(failedWith); // messages that came before the failure are still delivered first
        }
    }

    /** Makes this stream a byte stream whose inbound bytes go to {@code target}. */
    synchronized void receiveBytesInto(ByteBufferPipe target) {
        pipe = target;
        pipe.onConsumed(n -> {
            consumed(n);
            session.flow().released(n);
        });
        mode = Mode.BYTES;
        replayUnclaimed();
        if (failedWith != null) {
            target.fail(failedWith);
        }
    }

    /** This side only writes on the stream; inbound data is dropped. */
    synchronized void discardInbound() {
        mode = Mode.DISCARD;
        replayUnclaimed();
    }

    private void replayUnclaimed() {
        List<byte[]> pending = unclaimed;
        unclaimed = null;
        for (int i = 0; pending != null && i < pending.size(); i++) {
            byte[] chunk = pending.get(i);
            if (mode == Mode.MESSAGES) {
                appendMessages(chunk, 0, chunk.length, true);
            } else if (mode == Mode.BYTES) {
                if (!pipe.offer(chunk, 0, chunk.length)) {
                    session.flow().consumedAndDropped(this, chunk.length);
                }
            } else {
                session.flow().consumedAndDropped(this, chunk.length);
            }
        }
        if (remoteFin) {
            finishInbound();
        }
    }

    /**
     * The object a message referencing this stream as {@code kind} resolves to; the same object
     * every time. A stream used as two different kinds is a protocol error.
     */
    synchronized Object claim(ReferenceKind kind, java.util.function.Function<ReferenceKind, Object> create) {
        if (claimed != null) {
            if (kind != claimedKind) {
                throw new ProtocolException("reference " + ref + " used as " + claimedKind + " and as " + kind);
            }
            return claimed;
        }
        claimedKind = kind;
        claimed = create.apply(kind);
        return claimed;
    }

    synchronized void carries(java.io.FileDescriptor fd) {
        descriptor = fd;
    }

    synchronized java.io.FileDescriptor descriptor() {
        return descriptor;
    }

    synchronized Object claimedAs() {
        return claimed;
    }

    /** The application took {@code bytes} off this stream: return them to the peer's window. */
    void consumed(int bytes) {
        session.flow().consumed(this, bytes);
    }

    /**
     * A message was taken: if none is left waiting, the partial message behind it may take credit
     * now. Without a partial message this takes no lock: the receiver, just woken, does not wait
     * for the reader, which is often still inside this stream (its FIN came in the same batch).
     */
    void messageTaken() {
        if (!partialPending) {
            return;
        }
        synchronized (this) {
            if (mode == Mode.MESSAGES && !partial.isEmpty()) {
                creditPartial();
            }
        }
    }

    void checkWritable() {
        LibchanException reset = resetBy;
        if (reset != null) {
            // a new exception, with this caller's stack, of the same kind
            if (reset instanceof io.libchan.SessionRefusedException) {
                throw new io.libchan.SessionRefusedException(reset.getMessage(), reset);
            }
            throw reset instanceof ChannelClosedException ? new ChannelClosedException(reset.getMessage(), reset) : reset;
        }
        if (localFin) {
            throw new ChannelClosedException("send on a closed channel");
        }
    }

    @Override
    public String toString() {
        return "stream " + id + " (ref " + ref + (local ? ", ours" : ", peer's") + ")";
    }
}
