package io.libchan.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many raw client connections on one thread (a java.nio selector), so that 10,000 of them cost the
 * harness one thread: what an idle or a slow peer sends, written by hand, no library involved.
 *
 * <ul>
 *   <li><b>idle</b> ({@code slow = false}): the handshake a real client of that protocol sends,
 *       then nothing; the server's keep-alives are answered. libchan (SPDY/3): our client's first
 *       frame, SETTINGS INITIAL_WINDOW_SIZE = 1 MiB (20 bytes); every PING the server sends (even
 *       id) is echoed. gRPC (HTTP/2): the connection preface and an empty SETTINGS (33 bytes); the
 *       server's SETTINGS are acknowledged and its PINGs answered with an ACK. Neither opens a
 *       stream: an open, handshaken session with nothing in it.
 *   <li><b>slow</b> ({@code slow = true}): one byte every {@code every} of a valid byte stream (the
 *       same handshake, then PING frames for ever), starting at once; nothing is answered, what
 *       arrives is read and dropped. A connection the server closes is replaced at once, so
 *       {@code target} stay open (slowloris).
 * </ul>
 *
 * A connection counts as handshaken once a whole frame from the server arrived (both servers send
 * SETTINGS first), as held while it is handshaken and still open.
 */
final class RawConnections implements AutoCloseable {
    enum Protocol {
        SPDY, HTTP2
    }

    private static final int MAX_PENDING_CONNECTS = 256;
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP2_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};
    private static final byte[] HTTP2_SETTINGS_ACK = {0, 0, 0, 4, 1, 0, 0, 0, 0};
    private static final byte[] HTTP2_PING = {0, 0, 8, 6, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
    /** SPDY/3 SETTINGS, one entry: INITIAL_WINDOW_SIZE (7) = 1 MiB, as libchan's client sends. */
    private static final byte[] SPDY_SETTINGS = {(byte) 0x80, 3, 0, 4, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0x10, 0, 0};
    /** SPDY/3 PING id 1 (a client's ids are odd). */
    private static final byte[] SPDY_PING = {(byte) 0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1};

    private final Protocol protocol;
    private final InetSocketAddress address;
    private final boolean slow;
    private final long everyNanos;
    private final byte[] handshake;
    private final byte[] repeat;
    private final Selector selector;
    private final Thread loop;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final List<Conn> pending = new ArrayList<>();
    private final ArrayDeque<Conn> trickle = new ArrayDeque<>();

    private volatile boolean running = true;
    private volatile boolean stopOpening;
    private volatile int target;
    // written by the loop thread only, read by others
    private volatile int attempts;
    private volatile int pendingCount;
    private volatile int open;
    private volatile int held;
    private volatile int peakHeld;
    private volatile int failedConnects;
    private volatile int closedByServer;
    private volatile long bytesTrickled;
    private volatile long lastProgressNanos = System.nanoTime();
    /** Slow mode: no new connect before this, after one failed (a dead server is not hammered). */
    private long openAfter;

    /** One connection's state; touched by the loop thread only. */
    private static final class Conn {
        final SocketChannel channel;
        final long connectDeadline;
        final byte[] frame = new byte[17];
        int have;
        int need;
        long skip;
        boolean handshaken;
        boolean closed;
        long scriptPos;
        long due;
        ByteBuffer out;

        Conn(SocketChannel channel, long connectDeadline) {
            this.channel = channel;
            this.connectDeadline = connectDeadline;
        }
    }

    RawConnections(Protocol protocol, InetSocketAddress address, boolean slow, long everyNanos) throws IOException {
        this.protocol = protocol;
        this.address = address;
        this.slow = slow;
        this.everyNanos = everyNanos;
        this.handshake = protocol == Protocol.SPDY ? SPDY_SETTINGS : concat(HTTP2_PREFACE, HTTP2_SETTINGS);
        this.repeat = protocol == Protocol.SPDY ? SPDY_PING : HTTP2_PING;
        this.selector = Selector.open();
        this.loop = new Thread(this::run, "raw-connections-" + protocol);
        loop.setDaemon(true);
        loop.start();
    }

    /**
     * Opens connections until {@code n} were attempted (idle) or {@code n} are open (slow), at most
     * 256 connects pending at once; returns once every attempt ended (idle: and every open one got
     * its server's first frame), at {@code deadlineNanos}, or
     * when no connection got its server's first frame for {@code stallNanos} (a dead server).
     * After it returns no new connection is started, except that slow connections still replace the
     * ones the server closes.
     */
    void open(int n, long deadlineNanos, long stallNanos) throws InterruptedException {
        lastProgressNanos = System.nanoTime();
        target = n;
        selector.wakeup();
        while (true) {
            long now = System.nanoTime();
            boolean done = (slow ? open >= n : attempts >= n) && pendingCount == 0 && (slow || held >= open);
            if (done || now > deadlineNanos || now - lastProgressNanos > stallNanos || !running) {
                break;
            }
            Thread.sleep(100);
        }
        if (!slow) {
            stopOpening = true;
        }
    }

    int attempts() {
        return attempts;
    }

    int open() {
        return open;
    }

    int held() {
        return held;
    }

    /** The most connections held at once. */
    int peakHeld() {
        return peakHeld;
    }

    int failedConnects() {
        return failedConnects;
    }

    int closedByServer() {
        return closedByServer;
    }

    long bytesTrickled() {
        return bytesTrickled;
    }

    private void run() {
        try {
            while (running) {
                long now = System.nanoTime();
                startConnects(now);
                expireConnects(now);
                long wait = 100;
                if (slow) {
                    wait = Math.min(wait, trickleDue(now));
                }
                selector.select(Math.max(1, wait));
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Conn c = (Conn) key.attachment();
                    try {
                        if (key.isValid() && key.isConnectable()) {
                            if (c.channel.finishConnect()) {
                                connected(c, key);
                            }
                        }
                        if (key.isValid() && key.isReadable()) {
                            read(c);
                        }
                        if (key.isValid() && key.isWritable()) {
                            flush(c);
                        }
                    } catch (IOException e) {
                        lost(c);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LoadHarness.say("raw connections: %s", e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            try {
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
            open = 0;
            held = 0;
        }
    }

    private void startConnects(long now) {
        while (!stopOpening && now >= openAfter && pending.size() < MAX_PENDING_CONNECTS
                && (slow ? open + pending.size() < target : attempts < target)) {
            attempts++;
            try {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Conn c = new Conn(ch, now + CONNECT_TIMEOUT_NANOS);
                SelectionKey key = ch.register(selector, SelectionKey.OP_CONNECT, c);
                pending.add(c);
                if (ch.connect(address)) {
                    connected(c, key);
                }
            } catch (IOException e) {
                connectFailed(); // too many open files or the like
            }
        }
        pendingCount = pending.size();
    }

    private void expireConnects(long now) {
        for (Iterator<Conn> it = pending.iterator(); it.hasNext(); ) {
            Conn c = it.next();
            if (now > c.connectDeadline) {
                it.remove();
                connectFailed();
                closeQuietly(c);
            }
        }
        pendingCount = pending.size();
    }

    private void connected(Conn c, SelectionKey key) throws IOException {
        pending.remove(c);
        pendingCount = pending.size();
        open++;
        key.interestOps(SelectionKey.OP_READ);
        if (slow) {
            c.due = System.nanoTime();
            trickle.addLast(c);
        } else {
            write(c, handshake);
        }
    }

    /** Writes one byte to every slow connection that is due; returns ms until the next one is. */
    private long trickleDue(long now) {
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!trickle.isEmpty()) {
            Conn c = trickle.peekFirst();
            if (c.closed) {
                trickle.pollFirst();
                continue;
            }
            if (c.due > now) {
                return TimeUnit.NANOSECONDS.toMillis(c.due - now) + 1;
            }
            trickle.pollFirst();
            one.clear();
            one.put(scriptByte(c.scriptPos)).flip();
            try {
                if (c.channel.write(one) == 1) {
                    c.scriptPos++;
                    bytesTrickled++;
                }
                c.due = now + everyNanos;
                trickle.addLast(c);
            } catch (IOException e) {
                lost(c);
            }
        }
        return 100;
    }

    private byte scriptByte(long pos) {
        if (pos < handshake.length) {
            return handshake[(int) pos];
        }
        return repeat[(int) ((pos - handshake.length) % repeat.length)];
    }

    private void read(Conn c) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            lost(c);
            return;
        }
        readBuffer.flip();
        parse(c, readBuffer);
    }

    /** Splits what arrived into frames: headers and PING payloads are collected, other payloads skipped. */
    private void parse(Conn c, ByteBuffer in) throws IOException {
        int headerLength = protocol == Protocol.SPDY ? 8 : 9;
        while (in.hasRemaining()) {
            if (c.skip > 0) {
                int k = (int) Math.min(c.skip, in.remaining());
                in.position(in.position() + k);
                c.skip -= k;
                continue;
            }
            c.frame[c.have++] = in.get();
            if (c.have < headerLength) {
                continue;
            }
            if (c.have == headerLength) {
                byte[] f = c.frame;
                int length = protocol == Protocol.SPDY
                        ? (f[5] & 0xff) << 16 | (f[6] & 0xff) << 8 | (f[7] & 0xff)
                        : (f[0] & 0xff) << 16 | (f[1] & 0xff) << 8 | (f[2] & 0xff);
                int payload = isPingOf(f) ? (protocol == Protocol.SPDY ? 4 : 8) : -1;
                if (payload == length && !slow) {
                    c.need = headerLength + payload;
                    continue;
                }
                frame(c);
                c.skip = length;
                c.have = 0;
            } else if (c.have == c.need) {
                frame(c);
                c.have = 0;
                c.need = 0;
            }
        }
    }

    private boolean isPingOf(byte[] f) {
        return protocol == Protocol.SPDY
                ? (f[0] & 0x80) != 0 && f[2] == 0 && f[3] == 6
                : f[3] == 6;
    }

    /** A whole frame (header, and the payload of a PING) from the server. */
    private void frame(Conn c) throws IOException {
        if (!c.handshaken) {
            c.handshaken = true;
            held++;
            peakHeld = Math.max(peakHeld, held);
            lastProgressNanos = System.nanoTime();
        }
        if (slow) {
            return;
        }
        byte[] f = c.frame;
        if (protocol == Protocol.SPDY) {
            if (isPingOf(f) && c.have == 12 && (f[11] & 1) == 0) {
                write(c, Arrays.copyOf(f, 12)); // the server's PING (even id): echo it
            }
        } else if (f[3] == 4 && (f[4] & 1) == 0) {
            write(c, HTTP2_SETTINGS_ACK);
        } else if (f[3] == 6 && (f[4] & 1) == 0 && c.have == 17) {
            byte[] ack = Arrays.copyOf(f, 17);
            ack[4] = 1;
            write(c, ack);
        }
    }

    private void write(Conn c, byte[] bytes) throws IOException {
        if (c.out != null && c.out.hasRemaining()) {
            ByteBuffer more = ByteBuffer.allocate(c.out.remaining() + bytes.length);
            more.put(c.out).put(bytes).flip();
            c.out = more;
        } else {
            c.out = ByteBuffer.wrap(bytes);
        }
        flush(c);
    }

    private void flush(Conn c) throws IOException {
        c.channel.write(c.out);
        SelectionKey key = c.channel.keyFor(selector);
        if (c.out.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } else {
            c.out = null;
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** The server closed it, or it failed. */
    private void lost(Conn c) {
        if (c.closed) {
            return;
        }
        if (pending.remove(c)) {
            connectFailed();
            pendingCount = pending.size();
        } else {
            open--;
            if (c.handshaken) {
                held--;
            }
            if (running) {
                closedByServer++;
            }
        }
        closeQuietly(c);
    }

    private void connectFailed() {
        failedConnects++;
        if (slow) {
            openAfter = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        }
    }

    private void closeQuietly(Conn c) {
        c.closed = true;
        try {
            c.channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
