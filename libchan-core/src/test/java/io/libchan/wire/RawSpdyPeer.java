package io.libchan.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import io.libchan.internal.spdy.DataFrame;
import io.libchan.internal.spdy.GoAwayFrame;
import io.libchan.internal.spdy.HeadersFrame;
import io.libchan.internal.spdy.PingFrame;
import io.libchan.internal.spdy.RstStreamFrame;
import io.libchan.internal.spdy.SettingsFrame;
import io.libchan.internal.spdy.SpdyFrame;
import io.libchan.internal.spdy.SpdyFrameDecoder;
import io.libchan.internal.spdy.SpdyFrameEncoder;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SpdyLimits;
import io.libchan.internal.spdy.SpdyProtocol;
import io.libchan.internal.spdy.SpdyProtocolException;
import io.libchan.internal.spdy.SpdyStatus;
import io.libchan.internal.spdy.SynReplyFrame;
import io.libchan.internal.spdy.SynStreamFrame;
import io.libchan.internal.spdy.WindowUpdateFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.Adler32;
import java.util.zip.Deflater;

/**
 * A hand-driven SPDY/3 peer on a real socket, playing a Go libchan client or server against our
 * implementation. It writes exactly the frames a test asks for: non-header frames through
 * {@link SpdyFrameEncoder}, header frames with its own zlib stream (SPDY/3 dictionary, sync flush,
 * one context for the connection, as Go does), which also lets it write header blocks our encoder
 * refuses to produce (uppercase or duplicate names, bombs), or verbatim bytes such as the Go traces.
 *
 * <p>A reader thread decodes everything the other side writes with a decoder of its own and queues
 * it; tests take frames with a timeout. Our session volunteers SETTINGS (first thing),
 * WINDOW_UPDATE and keep-alive PING: {@link #expectFrame} skips those unless they are what is
 * expected, {@link #awaitFrame} skips anything that does not match. Every frame read is also kept
 * in {@link #received()} so tests can check order.
 */
final class RawSpdyPeer implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);

    private static final Object EOF = new Object();
    private static final byte[] DICTIONARY = spdyDictionary();

    private final Socket socket;
    private final OutputStream out;
    private final boolean client;
    private final SpdyFrameEncoder encoder = new SpdyFrameEncoder();
    private final Deflater deflater = new Deflater(9);
    private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    private final List<SpdyFrame> received = new ArrayList<>();
    private int nextPingId;
    private boolean ownHeaderContext = true;
    private boolean firstBlockSent;
    /** Set by {@link #storeLaterBlocks()}: zlib's own level-0 output for every block after the first. */
    private Deflater storing;
    private volatile Throwable readError;
    /** Set by {@link #connectAnsweringPings}: the reader thread echoes the other side's PINGs as they arrive. */
    private final boolean answerPings;

    private RawSpdyPeer(Socket socket, boolean client) throws IOException {
        this(socket, client, false);
    }

    private RawSpdyPeer(Socket socket, boolean client, boolean answerPings) throws IOException {
        this.socket = socket;
        this.client = client;
        this.answerPings = answerPings; // before the reader starts: the first PING may come at once
        this.nextPingId = client ? 1001 : 1002;
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        deflater.setDictionary(DICTIONARY);
        InputStream in = socket.getInputStream();
        Thread reader = new Thread(() -> readLoop(in), "raw-spdy-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The local port of this peer's socket: the port the other side sees it at. */
    int localPort() {
        return socket.getLocalPort();
    }

    /** A raw client (odd stream ids) connected to {@code uri}'s host and port. */
    static RawSpdyPeer connect(URI uri) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        return new RawSpdyPeer(s, true);
    }

    /**
     * As {@link #connect}, echoing every PING the other side sends the moment it is read, from the
     * first one on, as a Go peer does, whatever the test is waiting for. The PINGs are still queued
     * for the test.
     */
    static RawSpdyPeer connectAnsweringPings(URI uri) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        return new RawSpdyPeer(s, true, true);
    }

    /** A server socket on 127.0.0.1, port 0, whose connections become raw server peers (even ids). */
    static Server listen() throws IOException {
        return new Server();
    }

    static final class Server implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket();

        private Server() throws IOException {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            socket.setSoTimeout((int) WAIT.toMillis());
        }

        URI uri() {
            return URI.create("tcp://127.0.0.1:" + socket.getLocalPort());
        }

        RawSpdyPeer accept() throws IOException {
            return new RawSpdyPeer(socket.accept(), false);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ------------------------------------------------------------------ reading

    private void readLoop(InputStream in) {
        SpdyFrameDecoder decoder = new SpdyFrameDecoder(new SpdyLimits(SpdyProtocol.MAX_FRAME_LENGTH,
                SpdyProtocol.MAX_FRAME_LENGTH, 16 << 20, 100_000));
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                decoder.decode(ByteBuffer.wrap(buf, 0, n), this::onFrame);
            }
        } catch (IOException e) {
            readError = e; // a reset connection ends like EOF, with the cause kept
        } catch (SpdyProtocolException | RuntimeException e) {
            readError = e;
        } finally {
            decoder.close();
            inbound.add(EOF);
        }
    }

    private void onFrame(SpdyFrame f) {
        // answered here, not by the test thread: a test busy waiting for another frame would leave
        // the PING unanswered for as long as it waits, and a loaded machine makes that long
        if (answerPings && f instanceof PingFrame p && (p.id() & 1) != (client ? 1 : 0)) {
            send(p);
        }
        inbound.add(f);
    }

    /** The next frame of any kind. */
    SpdyFrame next(Duration timeout) {
        Object o;
        try {
            o = inbound.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (o == null) {
            throw new AssertionError("no frame within " + timeout.toMillis() + " ms; received so far: " + received());
        }
        if (o == EOF) {
            inbound.add(EOF); // stays ended
            throw new AssertionError("the connection ended" + (readError == null ? "" : " (" + readError + ")")
                    + "; received: " + received());
        }
        SpdyFrame f = (SpdyFrame) o;
        synchronized (received) {
            received.add(f);
        }
        return f;
    }

    private static boolean isNoise(SpdyFrame f) {
        return f instanceof SettingsFrame || f instanceof WindowUpdateFrame || f instanceof PingFrame;
    }

    /**
     * The next frame, which must be a {@code type}; SETTINGS, WINDOW_UPDATE and PING before it are
     * skipped (unless {@code type} is one of those), anything else fails.
     */
    <T extends SpdyFrame> T expectFrame(Class<T> type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SpdyFrame f = next(remaining(deadline, timeout));
            if (type.isInstance(f)) {
                return type.cast(f);
            }
            if (!isNoise(f)) {
                fail("expected " + type.getSimpleName() + " but got " + f + "; received: " + received());
            }
        }
    }

    <T extends SpdyFrame> T expectFrame(Class<T> type) {
        return expectFrame(type, WAIT);
    }

    /** The first {@code type} frame matching {@code test}; every frame before it is skipped (and logged). */
    <T extends SpdyFrame> T awaitFrame(Class<T> type, Predicate<? super T> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SpdyFrame f = next(remaining(deadline, timeout));
            if (type.isInstance(f) && test.test(type.cast(f))) {
                return type.cast(f);
            }
        }
    }

    <T extends SpdyFrame> T awaitFrame(Class<T> type, Predicate<? super T> test) {
        return awaitFrame(type, test, WAIT);
    }

    /** DATA (not an empty FIN) on {@code streamId}. */
    DataFrame awaitData(int streamId) {
        return awaitFrame(DataFrame.class, d -> d.streamId() == streamId && d.data().length > 0);
    }

    /**
     * The DATA frame with FIN that closes {@code streamId} from the other side: an empty one, or
     * the last DATA frame with a payload when it carried the FIN itself (a reply and its close
     * queued together leave as one frame), even if {@link #awaitData} already returned it.
     */
    DataFrame awaitFin(int streamId) {
        synchronized (received) {
            for (SpdyFrame f : received) {
                if (f instanceof DataFrame && ((DataFrame) f).streamId() == streamId && ((DataFrame) f).fin()) {
                    return (DataFrame) f;
                }
            }
        }
        return awaitFrame(DataFrame.class, d -> d.streamId() == streamId && d.fin());
    }

    RstStreamFrame awaitRst(int streamId) {
        return awaitFrame(RstStreamFrame.class, r -> r.streamId() == streamId);
    }

    SynReplyFrame awaitSynReply(int streamId) {
        return awaitFrame(SynReplyFrame.class, r -> r.streamId() == streamId);
    }

    /** Reads frames for {@code period}, failing if one matching {@code test} arrives (a read timeout, not a sleep). */
    <T extends SpdyFrame> void expectNone(Class<T> type, Predicate<? super T> test, Duration period) {
        long deadline = System.nanoTime() + period.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Object o;
            try {
                o = inbound.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (o == null) {
                return;
            }
            if (o == EOF) {
                inbound.add(EOF);
                return;
            }
            SpdyFrame f = (SpdyFrame) o;
            synchronized (received) {
                received.add(f);
            }
            if (type.isInstance(f) && test.test(type.cast(f))) {
                fail("did not expect " + f + "; received: " + received());
            }
        }
    }

    /** Waits until the other side closes the connection, skipping frames; returns the frames skipped. */
    List<SpdyFrame> expectClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SpdyFrame> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            Object o;
            try {
                o = left <= 0 ? null : inbound.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (o == null) {
                throw new AssertionError("the connection is still open after " + timeout.toMillis()
                        + " ms; received: " + received());
            }
            if (o == EOF) {
                inbound.add(EOF);
                return skipped;
            }
            SpdyFrame f = (SpdyFrame) o;
            synchronized (received) {
                received.add(f);
            }
            skipped.add(f);
        }
    }

    /**
     * A barrier: sends a PING of our own parity and waits for its echo. Frames are handled in order
     * by the other side's reader, so everything sent before has been processed when this returns.
     */
    void sync() {
        int id = nextPingId;
        nextPingId += 2;
        send(new PingFrame(id));
        awaitFrame(PingFrame.class, p -> p.id() == id);
    }

    /** Every frame read so far, in order. */
    List<SpdyFrame> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private static Duration remaining(long deadline, Duration original) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AssertionError("timed out after " + original.toMillis() + " ms");
        }
        return Duration.ofNanos(left);
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes one frame: header frames (SYN_STREAM, SYN_REPLY, HEADERS) with this peer's own zlib
     * context, the rest through {@link SpdyFrameEncoder}.
     */
    void send(SpdyFrame frame) {
        if (frame instanceof SynStreamFrame s) {
            int flags = (s.fin() ? 1 : 0) | (s.unidirectional() ? 2 : 0);
            sendSynStream(s.streamId(), s.associatedStreamId(), flags, rawBlock(s.headers()));
        } else if (frame instanceof SynReplyFrame r) {
            writeBytes(controlFrame(2, r.fin() ? 1 : 0, concat(int32(r.streamId()), compress(rawBlock(r.headers())))));
        } else if (frame instanceof HeadersFrame h) {
            writeBytes(controlFrame(8, h.fin() ? 1 : 0, concat(int32(h.streamId()), compress(rawBlock(h.headers())))));
        } else {
            writeBytes(encoder.encode(frame));
        }
    }

    /** SYN_STREAM with an uncompressed header block given as bytes (any names, any values), compressed here. */
    void sendSynStream(int streamId, int assoc, int flags, byte[] uncompressedBlock) {
        byte[] payload = concat(int32(streamId), int32(assoc), new byte[] {0, 0}, compress(uncompressedBlock));
        writeBytes(controlFrame(1, flags, payload));
    }

    /**
     * Writes bytes as they are (e.g. frames from a Go trace). If they hold a header frame, its
     * compressed block continues another zlib stream than ours, so {@link #send} refuses header
     * frames afterwards.
     */
    void sendVerbatim(byte[]... chunks) {
        byte[] all = concat(chunks);
        for (int pos = 0; pos + 8 <= all.length; ) {
            boolean control = (all[pos] & 0x80) != 0;
            int type = ((all[pos + 2] & 0xff) << 8) | (all[pos + 3] & 0xff);
            if (control && (type == 1 || type == 2 || type == 8)) {
                ownHeaderContext = false;
            }
            int length = ((all[pos + 5] & 0xff) << 16) | ((all[pos + 6] & 0xff) << 8) | (all[pos + 7] & 0xff);
            pos += 8 + length;
        }
        writeBytes(all);
    }

    /** A libchan top-level channel opened Go HEAD style: {@code libchan-ref} only. */
    void openChannel(int streamId, long ref) {
        send(SynStreamFrame.open(streamId, SpdyHeaders.of("libchan-ref", Long.toString(ref))));
    }

    /** A nested channel of the message on the channel {@code parentRef}. */
    void openNested(int streamId, long parentRef, long ref) {
        send(SynStreamFrame.open(streamId, SpdyHeaders.of("libchan-parent-ref", Long.toString(parentRef),
                "libchan-ref", Long.toString(ref))));
    }

    void sendData(int streamId, byte[] data) {
        send(new DataFrame(streamId, false, data));
    }

    void sendFin(int streamId) {
        send(DataFrame.fin(streamId));
    }

    /** Every payload byte on {@code streamId} up to and including the frame that carries its FIN. */
    byte[] payloadUntilFin(int streamId) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        DataFrame d;
        do { // the last chunk may carry the FIN itself
            d = awaitFrame(DataFrame.class, f -> f.streamId() == streamId);
            got.writeBytes(d.data());
        } while (!d.fin());
        return got.toByteArray();
    }

    /** What a test does from a raw client against our server, whose top-level stream 1 was answered with {@code top}. */
    interface AgainstOurServer {
        void run(RawSpdyPeer peer, Transport server, SynReplyFrame top) throws Exception;
    }

    /**
     * Runs {@code test} against our server on {@code tcp://127.0.0.1:0}, from a raw client that
     * opened stream 1 (ref 1) offering {@code libchan-ext: ext} and got its SYN_REPLY.
     */
    static void againstOurServer(String ext, AgainstOurServer test) throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer peer = connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            try {
                peer.send(SynStreamFrame.open(1, SpdyHeaders.of("libchan-ref", "1", "libchan-ext", ext)));
                test.run(peer, server, peer.awaitSynReply(1));
            } finally {
                server.abort();
            }
        }
    }

    /**
     * Closes our top-level stream 1 and goes away: with every stream done, {@code server} ends the
     * session at once (a stream still open would hold it for the drain timeout).
     */
    void closeChannelOneAndGoAway(Transport server) {
        sendFin(1);
        awaitFin(1);
        send(new GoAwayFrame(0, SpdyStatus.GOAWAY_OK));
        expectClosed(WAIT);
        assertFalse(server.isOpen());
    }

    /**
     * One Go-style request and its whole exchange, as the Go echo client of the trace does it:
     * opens channel {@code topId} (ref {@code topRef}) and reply channel {@code retId} (ref
     * {@code retRef}), sends {@code {"Cmd": cmd, "Ret": <Sender retRef>}}, checks the reply
     * {@code {"Cmd": cmd}} and the FIN on the reply channel, then closes both streams and waits for
     * the other side's FIN on the top-level one.
     */
    void roundTrip(int topId, long topRef, int retId, long retRef, String cmd) {
        openChannel(topId, topRef);
        openNested(retId, topRef, retRef);
        sendData(topId, Msgpack.map("Cmd", Msgpack.str(cmd), "Ret", Msgpack.ext(4, retRef)));
        DataFrame reply = awaitData(retId);
        assertEquals(hex(Msgpack.map("Cmd", Msgpack.str(cmd))), hex(reply.data()), "reply on stream " + retId);
        awaitFin(retId);
        sendFin(retId);
        sendFin(topId);
        awaitFin(topId);
    }

    private void writeBytes(byte[] bytes) {
        synchronized (out) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new AssertionError("write failed: " + e, e);
            }
        }
    }

    /**
     * From the second header block on, writes stored blocks as a {@code stored-headers} peer
     * promises: zlib's own level-0 output (a raw deflater continuing the byte-aligned stream), so
     * the receiver's hand parser is checked against zlib rather than against our own writer.
     */
    void storeLaterBlocks() {
        synchronized (deflater) {
            storing = new Deflater(Deflater.NO_COMPRESSION, true);
        }
    }

    private byte[] compress(byte[] block) {
        if (!ownHeaderContext) {
            throw new IllegalStateException("verbatim header frames were sent: the peer's inflater follows their zlib stream");
        }
        synchronized (deflater) {
            Deflater deflater = storing != null && firstBlockSent ? storing : this.deflater;
            firstBlockSent = true;
            deflater.setInput(block);
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            do {
                n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                compressed.write(buf, 0, n);
            } while (n == buf.length || !deflater.needsInput());
            return compressed.toByteArray();
        }
    }

    static byte[] controlFrame(int type, int flags, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).putInt(0x80030000 | type)
                .putInt(flags << 24 | payload.length).put(payload).array();
    }

    /** The uncompressed header block of well-formed headers. */
    static byte[] rawBlock(SpdyHeaders headers) {
        List<String> nv = new ArrayList<>();
        for (SpdyHeaders.Header h : headers.asList()) {
            nv.add(h.name());
            nv.add(h.value());
        }
        return rawBlock(nv.toArray(new String[0]));
    }

    /** An uncompressed header block of names and values as given, unchecked. */
    static byte[] rawBlock(String... namesAndValues) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(int32(namesAndValues.length / 2));
        for (String s : namesAndValues) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(int32(bytes.length));
            b.writeBytes(bytes);
        }
        return b.toByteArray();
    }

    static byte[] int32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /** Half-closes the connection (TCP FIN): the peer reads the end of input, we may still read. */
    void shutdownOutput() {
        synchronized (out) {
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                throw new AssertionError("shutdown failed: " + e, e);
            }
        }
    }

    /** Closes the socket abruptly (RST), as a crashed peer or a cut cable would. */
    void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // gone anyway
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // gone anyway
        }
        encoder.close();
        synchronized (deflater) {
            deflater.end();
            if (storing != null) {
                storing.end();
            }
        }
    }

    @Override
    public String toString() {
        return "RawSpdyPeer(" + (client ? "client" : "server") + ", " + socket.getLocalSocketAddress() + ")";
    }

    /**
     * The SPDY/3 header dictionary. The production copy is package-private; taken by reflection and
     * checked against the draft's length and Adler-32 so this peer does not depend on its correctness.
     */
    private static byte[] spdyDictionary() {
        try {
            Class<?> c = Class.forName("io.libchan.internal.spdy.SpdyDictionary");
            Method copy = c.getDeclaredMethod("copy");
            copy.setAccessible(true);
            byte[] dict = (byte[]) copy.invoke(null);
            Adler32 adler = new Adler32();
            adler.update(dict);
            if (dict.length != 1423 || adler.getValue() != 0xe3c6a7c2L) {
                throw new IllegalStateException("not the SPDY/3 dictionary: " + dict.length + " bytes, adler "
                        + Long.toHexString(adler.getValue()));
            }
            return Arrays.copyOf(dict, dict.length);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Convenience: the GOAWAY among {@code frames}, or a failure. */
    static GoAwayFrame goAwayIn(List<SpdyFrame> frames) {
        return frames.stream().filter(GoAwayFrame.class::isInstance).map(GoAwayFrame.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no GOAWAY in " + frames));
    }
}
