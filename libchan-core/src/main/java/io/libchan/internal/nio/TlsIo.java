package io.libchan.internal.nio;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS over a non-blocking socket with the JDK's {@link SSLEngine}: the handshake is driven by the
 * connection's loop ({@link #handshake()}), records are unwrapped on read and wrapped on write.
 *
 * <p>Memory: an idle connection holds the engine (some 6 KiB) and nothing else. Reads go through
 * a buffer of the reading thread's (the loop's) and only a record still incomplete is kept, in an
 * array of its own size; records to send are wrapped into a buffer borrowed from
 * {@link BufferPool} (a large one for a large write, so a 256 KiB frame leaves in one system call
 * rather than four) and given back once written.
 *
 * <p>Threads: reads (and the handshake) on the connection's loop only; writes from the
 * connection's writing role; the engine's {@code wrap} is serialised by a lock held only while
 * wrapping and writing without blocking, since the reader wraps too (a TLS 1.3 KeyUpdate asks for
 * an answer).
 *
 * <p>Records: a record takes up to 16 KiB of whatever was written, unless
 * {@link #alignRecordsToFrames()} asked for whole SPDY frames in each record (toward jschan). The
 * frame boundaries are followed from the first byte on, so the switch may come at any time.
 */
public final class TlsIo extends ChannelIo {
    /**
     * Room for many records per socket read (a record is at most 16,709 bytes), so a bulk transfer
     * takes a few reads per MiB, yet no more than the loop's read buffer ({@link IoLoop}, 264 KiB)
     * takes decrypted in one {@link #read}: only the last, incomplete record is left to keep as
     * {@link #tail}. One per reading thread; only the connections' loops read TLS.
     */
    private static final int NET_SCRATCH = 224 * 1024 + 17 * 1024;
    private static final ThreadLocal<ByteBuffer> NET_IN = ThreadLocal.withInitial(() -> ByteBuffer.allocate(NET_SCRATCH));
    private static final ThreadLocal<ByteBuffer> APP_SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(17 * 1024));
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** The most plaintext one TLS record carries (2^14 bytes, TLS 1.2 and 1.3). */
    static final int RECORD_PLAINTEXT = 1 << 14;

    private final SSLEngine engine;
    private final ReentrantLock wrapping = new ReentrantLock();
    /** Ciphertext of an incomplete record, kept between reads (reader only); null when none. */
    private byte[] tail;
    /** The last socket read of this {@link #read} got less than it had room for (reader only). */
    private boolean socketDrained;
    /** Plaintext that arrived during the handshake, for the first read (reader only); null when none. */
    private ByteBuffer early;
    /** Records wrapped and not yet written, write mode (guarded by wrapping); null when none. */
    private ByteBuffer netOut;
    /** Ciphertext waits in {@link #tail} that holds whole records: read again without the socket. */
    private volatile boolean moreBuffered;
    private boolean handshakeBegun;
    private volatile boolean handshakeDone;
    private boolean inboundClosed;
    /** Where the SPDY frames are in what is wrapped (guarded by wrapping). */
    private final SpdyFrameCursor frames = new SpdyFrameCursor();
    private volatile boolean recordsAlignedToFrames;

    public TlsIo(SocketChannel channel, SSLEngine engine) {
        super(channel);
        this.engine = engine;
    }

    // ------------------------------------------------------------------ handshake (loop thread)

    @Override
    public int handshake() throws IOException {
        if (handshakeDone) {
            return 0;
        }
        if (!handshakeBegun) {
            handshakeBegun = true;
            engine.beginHandshake();
        }
        while (true) {
            if (!flushNetOut()) {
                return SelectionKey.OP_WRITE;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrapHandshake();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapHandshake()) {
                        return SelectionKey.OP_READ;
                    }
                }
                default -> {
                    handshakeDone = true;
                    return 0;
                }
            }
        }
    }

    private void runTasks() {
        // inline on the loop, as Netty does by default: certificate checks and key agreement take
        // a fraction of a millisecond, cheaper than a hand-off to another thread and back
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private void wrapHandshake() throws IOException {
        wrapping.lock();
        try {
            ensureNetOut();
            SSLEngineResult r = engine.wrap(EMPTY, netOut);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS closed during the handshake");
            }
        } finally {
            wrapping.unlock();
        }
    }

    /** One unwrap of handshake records; false when more ciphertext must come from the socket first. */
    private boolean unwrapHandshake() throws IOException {
        ByteBuffer in = netIn();
        try {
            if (!in.hasRemaining() || moreNeeded(in)) {
                int n = readSocket(in);
                if (n < 0) {
                    throw new EOFException("the peer closed the connection during the TLS handshake");
                }
                if (n == 0) {
                    return false;
                }
            }
            ByteBuffer app = APP_SCRATCH.get();
            app.clear();
            SSLEngineResult r = engine.unwrap(in, app);
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    int n = readSocket(in);
                    if (n < 0) {
                        throw new EOFException("the peer closed the connection during the TLS handshake");
                    }
                    return n > 0;
                }
                case CLOSED -> throw new SSLException("the peer closed TLS during the handshake");
                default -> {
                    if (r.bytesProduced() > 0) {
                        keepEarly(app);
                    }
                    return true;
                }
            }
        } finally {
            keepTail(in);
        }
    }

    private void keepEarly(ByteBuffer app) {
        app.flip();
        ByteBuffer copy = ByteBuffer.allocate((early == null ? 0 : early.remaining()) + app.remaining());
        if (early != null) {
            copy.put(early);
        }
        copy.put(app).flip();
        early = copy;
    }

    // ------------------------------------------------------------------ reads (loop thread)

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (early != null) {
            int n = Math.min(dst.remaining(), early.remaining());
            dst.put(early.array(), early.arrayOffset() + early.position(), n);
            early.position(early.position() + n);
            if (!early.hasRemaining()) {
                early = null;
            }
            return n;
        }
        if (inboundClosed) {
            return -1;
        }
        ByteBuffer in = netIn();
        int produced = 0;
        socketDrained = false;
        try {
            while (true) {
                if (!in.hasRemaining() || moreNeeded(in)) {
                    if (socketDrained && produced > 0) {
                        return produced; // the socket had no more: asking again would only fail (EAGAIN)
                    }
                    int n = readSocket(in, dst);
                    if (n < 0) {
                        inboundClosed = true;
                        return produced > 0 ? produced : -1;
                    }
                    if (n == 0) {
                        return produced;
                    }
                }
                if (dst.remaining() < engine.getSession().getApplicationBufferSize()) {
                    return produced; // the rest next time (moreBuffered says so)
                }
                SSLEngineResult r = engine.unwrap(in, dst);
                produced += r.bytesProduced();
                switch (r.getStatus()) {
                    case CLOSED -> {
                        inboundClosed = true; // close_notify
                        return produced > 0 ? produced : -1;
                    }
                    case BUFFER_OVERFLOW -> {
                        return produced;
                    }
                    case BUFFER_UNDERFLOW -> {
                        int n = readSocket(in, dst);
                        if (n < 0) {
                            inboundClosed = true;
                            return produced > 0 ? produced : -1;
                        }
                        if (n == 0) {
                            return produced;
                        }
                    }
                    default -> afterUnwrap(r);
                }
            }
        } finally {
            keepTail(in);
        }
    }

    /** A record after the handshake may ask for work or an answer (a TLS 1.3 KeyUpdate). */
    private void afterUnwrap(SSLEngineResult r) throws IOException {
        SSLEngineResult.HandshakeStatus hs = r.getHandshakeStatus();
        if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTasks();
            hs = engine.getHandshakeStatus();
        }
        if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            wrapHandshake();
            wrapping.lock();
            try {
                flushNetOut(); // what is left goes with the next write (hasPendingOutput)
            } finally {
                wrapping.unlock();
            }
        }
    }

    /**
     * The reading thread's ciphertext buffer, in read mode, holding the kept incomplete record (if
     * any) at its start.
     */
    private ByteBuffer netIn() {
        ByteBuffer in = NET_IN.get();
        in.clear();
        if (tail != null) {
            in.put(tail);
            tail = null;
        }
        in.flip();
        return in;
    }

    /** Largest TLS record body (2^14 plus expansion): a longer length is garbage for the engine to refuse. */
    private static final int MAX_RECORD = (1 << 14) + 2048;

    /** True when {@code in} (read mode) does not hold a whole record yet. */
    private static boolean moreNeeded(ByteBuffer in) {
        if (in.remaining() < 5) {
            return true;
        }
        int p = in.position();
        int length = ((in.get(p + 3) & 0xff) << 8) | (in.get(p + 4) & 0xff);
        return length <= MAX_RECORD && in.remaining() < 5 + length;
    }

    /** Appends what the socket has to {@code in} (read mode stays). */
    private int readSocket(ByteBuffer in) throws IOException {
        in.compact();
        try {
            return channel.read(in);
        } finally {
            in.flip();
        }
    }

    /**
     * As {@link #readSocket(ByteBuffer)}, taking no more ciphertext than {@code dst} can take
     * decrypted in this call (at least one whole record): what this read leaves is then only the
     * last, incomplete record, not records to copy aside for the next call ({@link #keepTail}).
     */
    private int readSocket(ByteBuffer in, ByteBuffer dst) throws IOException {
        int room = Math.max(dst.remaining() - engine.getSession().getApplicationBufferSize(), 0) + MAX_RECORD + 5;
        in.compact();
        try {
            in.limit(Math.min(in.capacity(), Math.max(room, in.position() + 1)));
            int space = in.remaining();
            int n = channel.read(in);
            socketDrained = n < space;
            return n;
        } finally {
            in.flip();
        }
    }

    /** Keeps the ciphertext not yet unwrapped, in an array of its own size. */
    private void keepTail(ByteBuffer in) {
        if (in.hasRemaining()) {
            tail = new byte[in.remaining()];
            in.get(tail);
            moreBuffered = !moreNeeded(ByteBuffer.wrap(tail));
        } else {
            moreBuffered = false;
        }
    }

    @Override
    public boolean hasBufferedInput() {
        return moreBuffered || early != null;
    }

    // ------------------------------------------------------------------ writes (writing role)

    @Override
    public boolean write(ByteBuffer src) throws IOException {
        wrapping.lock();
        try {
            if (!flushNetOut()) {
                return false;
            }
            while (src.hasRemaining()) {
                ensureNetOut(src.remaining());
                SSLEngineResult r = wrap(src);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new ClosedChannelException();
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW || !src.hasRemaining()) {
                    if (!flushNetOut()) {
                        return false;
                    }
                }
            }
            return flushNetOut();
        } finally {
            wrapping.unlock();
        }
    }

    /** Records need not end between frames (not toward jschan): a frame's head and payload are wrapped together. */
    @Override
    public boolean writesGathered() {
        return !recordsAlignedToFrames;
    }

    /**
     * As {@link #write(ByteBuffer)} for the bytes of {@code srcs} in order: each record is wrapped
     * straight from them (a frame's head and its payload in the caller's buffer), with no copy first.
     */
    @Override
    public boolean write(ByteBuffer[] srcs) throws IOException {
        wrapping.lock();
        try {
            if (!flushNetOut()) {
                return false;
            }
            ByteBuffer last = srcs[srcs.length - 1];
            int[] starts = new int[srcs.length];
            while (last.hasRemaining()) {
                ensureNetOut(remaining(srcs));
                for (int i = 0; i < srcs.length; i++) {
                    starts[i] = srcs[i].position();
                }
                SSLEngineResult r = engine.wrap(srcs, netOut);
                for (int i = 0; i < srcs.length; i++) {
                    frames.advance(srcs[i], starts[i], srcs[i].position());
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new ClosedChannelException();
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW || !last.hasRemaining()) {
                    if (!flushNetOut()) {
                        return false;
                    }
                }
            }
            return flushNetOut();
        } finally {
            wrapping.unlock();
        }
    }

    private static long remaining(ByteBuffer[] srcs) {
        long n = 0;
        for (ByteBuffer b : srcs) {
            n += b.remaining();
        }
        return n;
    }

    /** One record of {@code src} into {@link #netOut}, ending between frames when asked to. Under wrapping. */
    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        int start = src.position();
        int limit = src.limit();
        if (recordsAlignedToFrames) {
            src.limit(start + frames.recordLength(src, RECORD_PLAINTEXT));
        }
        try {
            return engine.wrap(src, netOut);
        } finally {
            src.limit(limit);
            frames.advance(src, start, src.position());
        }
    }

    @Override
    public int alignRecordsToFrames() {
        recordsAlignedToFrames = true;
        return RECORD_PLAINTEXT;
    }

    @Override
    public boolean hasPendingOutput() {
        ByteBuffer out = netOut;
        return out != null && out.position() > 0;
    }

    private void ensureNetOut() {
        if (netOut == null) {
            netOut = BufferPool.take();
        }
    }

    /** As {@link #ensureNetOut()}, large enough for the records of {@code plaintext} bytes to go in one write (up to a large frame's). */
    private void ensureNetOut(long plaintext) {
        if (netOut == null) {
            netOut = plaintext >= BufferPool.SIZE ? BufferPool.takeLarge() : BufferPool.take();
        }
    }

    /** Writes the wrapped records; true when none is left (the buffer is given back). Under wrapping. */
    private boolean flushNetOut() throws IOException {
        if (netOut == null) {
            return true;
        }
        netOut.flip();
        try {
            while (netOut.hasRemaining()) {
                if (channel.write(netOut) == 0) {
                    return false;
                }
            }
        } finally {
            netOut.compact();
        }
        BufferPool.give(netOut);
        netOut = null;
        return true;
    }

    // ------------------------------------------------------------------ identity

    @Override
    public Optional<Principal> peerPrincipal() {
        try {
            return Optional.of(engine.getSession().getPeerPrincipal());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    @Override
    public java.util.List<java.security.cert.X509Certificate> peerCertificates() {
        try {
            java.util.List<java.security.cert.X509Certificate> chain = new java.util.ArrayList<>();
            for (java.security.cert.Certificate c : engine.getSession().getPeerCertificates()) {
                if (c instanceof java.security.cert.X509Certificate x) {
                    chain.add(x);
                }
            }
            return java.util.List.copyOf(chain);
        } catch (SSLPeerUnverifiedException e) {
            return java.util.List.of();
        }
    }

    @Override
    public Optional<String> negotiatedProtocol() {
        String p = engine.getApplicationProtocol();
        return p == null || p.isEmpty() ? Optional.empty() : Optional.of(p);
    }

    @Override
    public void close() {
        engine.closeOutbound();
        super.close();
    }
}
