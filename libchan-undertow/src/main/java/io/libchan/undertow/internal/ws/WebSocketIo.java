package io.libchan.undertow.internal.ws;

import io.libchan.internal.nio.ChannelIo;
import io.libchan.internal.session.MessageBatch;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client end of a {@code libchan.spdy3} WebSocket (PROTOCOL.md section 13.3, RFC 6455) as the
 * plain byte stream of SPDY frames a {@code NioWire} reads and writes, over a socket in clear or
 * through TLS ({@code inner}). The handshake (TLS first, then the HTTP upgrade) is driven by the
 * wire's I/O loop like TLS's own; from then on reads take the payloads of the server's binary
 * messages (any split) and writes send whole SPDY frames as masked binary messages. Never blocks.
 *
 * <p>Writes: the whole SPDY frames of each call go out in binary messages of up to 64 KiB (a larger
 * frame alone); the bytes of a frame not complete yet (a wire writes a large frame's head and
 * payload in two calls) are held until its last byte comes, so no frame is split across messages
 * (old Go peers read only whole frames). Framed bytes the socket does not take now wait here ({@link #hasPendingOutput()}).
 *
 * <p>Reads: binary and continuation frames carry the stream; a ping is answered with a pong; after a
 * close frame reading reports the end of input (our close frame, with the server's code, goes out
 * when the wire closes, after the session's last frames); a text frame, a masked frame, a reserved
 * bit or opcode fail the read. Reads come from the holder of the reading role, writes from
 * the holder of the writing role, and the two may run at once: the framed output (a read's pong or
 * close answer among it) is guarded by {@link #output}.
 *
 * <p>Masking keys (and the handshake's nonce) come from {@link ThreadLocalRandom}, as in Netty's
 * client: masking keeps script-chosen bytes from poisoning proxies in a browser, where scripts are
 * not trusted; here the bytes are the application's own.
 */
final class WebSocketIo extends ChannelIo {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_RESPONSE_HEAD = 16 * 1024;
    /** Raw bytes read at once, into a buffer of the reading thread's (as TLS's own): payloads are copied out. */
    private static final int READ_CHUNK = 64 * 1024;
    /** Room TLS needs to unwrap a whole record (16 KiB of plaintext and change). */
    private static final int MIN_READ = 17 * 1024;
    private static final ThreadLocal<ByteBuffer> RAW = ThreadLocal.withInitial(() -> ByteBuffer.allocate(READ_CHUNK));
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int OP_CONTINUATION = 0;
    private static final int OP_TEXT = 1;
    private static final int OP_BINARY = 2;
    private static final int OP_CLOSE = 8;
    private static final int OP_PING = 9;
    private static final int OP_PONG = 10;

    private final ChannelIo inner;
    private final String subprotocol;
    private final String key;

    // handshake (loop thread)
    private ByteBuffer request;           // the upgrade request until it is written
    private ByteBuffer responseHead;      // the response head as it comes in
    private volatile boolean upgraded;

    // reading role
    private ByteBuffer carry;             // bytes read and not parsed yet (read mode): after the response head, or what did not fit; or null
    private final byte[] head = new byte[10];
    private int headFill;
    private int headNeeded = 2;
    private long payloadLeft = -1;        // -1: a frame head comes next
    private int opcode;
    private byte[] control;               // a control frame's payload as it comes
    private int controlFill;
    private boolean closeReceived;
    private volatile byte[] closeCode = {0x03, (byte) 0xe8}; // what our close frame says: 1000, or the server's code

    // writing role
    private final byte[] frameHead = new byte[8]; // the head of the SPDY frame being written, as it comes
    private int frameHeadFill;
    private long frameLeft;               // payload bytes of that frame still to come
    private ByteBuffer held;              // bytes of SPDY frames not complete yet (write mode), or null

    /** Framed bytes not yet on the socket (write mode), or null; guarded by this lock. */
    private final ReentrantLock output = new ReentrantLock();
    private ByteBuffer pending;
    private boolean closeSent;            // guarded by output

    /**
     * @param inner the socket's bytes, in clear or through TLS
     * @param path the request path (the mount prefix)
     * @param authority the {@code Host} header
     * @param authorization an {@code Authorization} header value, or null
     */
    WebSocketIo(SocketChannel channel, ChannelIo inner, String path, String authority, String subprotocol, String authorization) {
        super(channel);
        this.inner = inner;
        this.subprotocol = subprotocol;
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
        StringBuilder r = new StringBuilder(256)
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n")
                .append("Sec-WebSocket-Protocol: ").append(subprotocol).append("\r\n");
        if (authorization != null) {
            r.append("Authorization: ").append(authorization).append("\r\n");
        }
        r.append("\r\n");
        this.request = ByteBuffer.wrap(r.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    // ------------------------------------------------------------------ handshake (loop thread)

    @Override
    public int handshake() throws IOException {
        if (upgraded) {
            return 0;
        }
        int tls = inner.handshake();
        if (tls != 0) {
            return tls;
        }
        if (request != null) {
            if (!inner.write(request)) {
                return SelectionKey.OP_WRITE;
            }
            request = null;
            responseHead = ByteBuffer.allocate(1024);
        }
        while (true) {
            ByteBuffer raw = RAW.get(); // large enough for a whole TLS record's plaintext
            raw.clear();
            int n = inner.read(raw);
            if (n < 0) {
                throw new EOFException("the server closed the connection during the WebSocket upgrade");
            }
            raw.flip();
            if (responseHead.remaining() < raw.remaining()) {
                int size = Math.max(responseHead.capacity() * 2, responseHead.position() + raw.remaining());
                if (size > MAX_RESPONSE_HEAD + READ_CHUNK) {
                    throw new IOException("the server's answer to the WebSocket upgrade has a head over "
                            + MAX_RESPONSE_HEAD + " bytes");
                }
                responseHead = ByteBuffer.allocate(size).put(responseHead.flip());
            }
            responseHead.put(raw);
            int end = endOfHead(responseHead);
            if (end >= 0) {
                upgradedBy(responseHead, end);
                return 0;
            }
            if (responseHead.position() > MAX_RESPONSE_HEAD) {
                throw new IOException("the server's answer to the WebSocket upgrade has a head over "
                        + MAX_RESPONSE_HEAD + " bytes");
            }
            if (n == 0 && !inner.hasBufferedInput()) {
                return SelectionKey.OP_READ;
            }
        }
    }

    /** Where the head in {@code buf} (write mode) ends, past its blank line, or -1. */
    private static int endOfHead(ByteBuffer buf) {
        byte[] b = buf.array();
        for (int i = 3; i < buf.position(); i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** Checks the server's answer; bytes after its head are the start of the stream. */
    private void upgradedBy(ByteBuffer buf, int end) throws IOException {
        String text = new String(buf.array(), 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("the server did not answer the WebSocket upgrade in HTTP/1.1: " + lines[0]);
        }
        if (!status[1].equals("101")) {
            throw new IOException("the server answered HTTP " + status[1]);
        }
        String upgrade = null;
        String connection = null;
        String accept = null;
        String protocol = null;
        String extensions = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "upgrade" -> upgrade = value;
                case "connection" -> connection = value;
                case "sec-websocket-accept" -> accept = value;
                case "sec-websocket-protocol" -> protocol = value;
                case "sec-websocket-extensions" -> extensions = value;
                default -> { }
            }
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")
                || connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
            throw new IOException("the server's 101 is not a WebSocket upgrade");
        }
        if (!expectedAccept().equals(accept)) {
            throw new IOException("the server's Sec-WebSocket-Accept does not match our key");
        }
        if (protocol != null && !protocol.equals(subprotocol)) {
            throw new IOException("the server chose subprotocol " + protocol + ", not " + subprotocol);
        }
        if (extensions != null && !extensions.isEmpty()) {
            throw new IOException("the server chose WebSocket extensions we did not offer: " + extensions);
        }
        if (buf.position() > end) {
            carry = ByteBuffer.wrap(java.util.Arrays.copyOfRange(buf.array(), end, buf.position()));
        }
        responseHead = null;
        upgraded = true;
    }

    private String expectedAccept() {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing", e);
        }
    }

    // ------------------------------------------------------------------ reads (reading role)

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closeReceived) {
            return -1;
        }
        int before = dst.position();
        while (dst.hasRemaining()) {
            ByteBuffer raw = carry;
            if (raw == null) {
                raw = RAW.get();
                raw.clear();
                // payloads are no longer than the frames that carry them: what is read then fits in dst,
                // and nothing is carried over (but TLS unwraps only into room for a whole record)
                raw.limit(Math.min(raw.capacity(), Math.max(dst.remaining(), MIN_READ)));
                int n = inner.read(raw);
                if (n < 0) {
                    return dst.position() > before ? dst.position() - before : -1;
                }
                if (n == 0) {
                    break;
                }
                raw.flip();
            }
            parse(raw, dst);
            if (closeReceived) {
                carry = null; // nothing may follow a close frame
                return dst.position() > before ? dst.position() - before : -1;
            }
            if (!raw.hasRemaining()) {
                carry = null;
            } else if (raw != carry) {
                carry = ByteBuffer.wrap(java.util.Arrays.copyOfRange(raw.array(), raw.position(), raw.limit()));
            }
            if (dst.position() > before) {
                break; // the caller feeds its session; it reads again while input waits (hasBufferedInput)
            }
        }
        return dst.position() - before;
    }

    /**
     * Takes the bytes of {@code raw}: payloads of data frames go to {@code dst} as far as it has
     * room (the rest stays in {@code raw}), frame heads and control frames are handled here.
     */
    private void parse(ByteBuffer raw, ByteBuffer dst) throws IOException {
        while (raw.hasRemaining() && !closeReceived) {
            if (payloadLeft < 0) {
                head[headFill++] = raw.get();
                if (headFill == 2) {
                    startHead();
                }
                if (headFill == headNeeded) {
                    endHead();
                }
                continue;
            }
            if (control == null) {
                int n = (int) Math.min(Math.min(payloadLeft, raw.remaining()), dst.remaining());
                if (n == 0) {
                    return; // dst is full
                }
                int limit = raw.limit();
                raw.limit(raw.position() + n);
                dst.put(raw);
                raw.limit(limit);
                payloadLeft -= n;
            } else {
                int n = (int) Math.min(payloadLeft, raw.remaining());
                raw.get(control, controlFill, n);
                controlFill += n;
                payloadLeft -= n;
            }
            if (payloadLeft == 0) {
                endFrame();
            }
        }
    }

    /** The first two bytes of a frame head: what kind of frame, and how long its head is. */
    private void startHead() throws IOException {
        int b0 = head[0] & 0xff;
        int b1 = head[1] & 0xff;
        if ((b0 & 0x70) != 0) {
            throw new IOException("a WebSocket frame with reserved bits set (no extension was agreed)");
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("a masked WebSocket frame from the server");
        }
        opcode = b0 & 0x0f;
        if (opcode == OP_TEXT) {
            throw new IOException("text message on a libchan.spdy3 WebSocket");
        }
        if (opcode != OP_CONTINUATION && opcode != OP_BINARY && opcode != OP_CLOSE && opcode != OP_PING && opcode != OP_PONG) {
            throw new IOException("a WebSocket frame with reserved opcode " + opcode);
        }
        int len7 = b1 & 0x7f;
        headNeeded = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
        if (opcode >= OP_CLOSE && ((b0 & 0x80) == 0 || len7 > 125)) {
            throw new IOException("a fragmented or oversized WebSocket control frame");
        }
    }

    private void endHead() throws IOException {
        int len7 = head[1] & 0x7f;
        long length;
        if (len7 == 126) {
            length = ((head[2] & 0xffL) << 8) | (head[3] & 0xffL);
        } else if (len7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (head[i] & 0xffL);
            }
            if (length < 0) {
                throw new IOException("a WebSocket frame longer than 2^63 bytes");
            }
        } else {
            length = len7;
        }
        headFill = 0;
        headNeeded = 2;
        payloadLeft = length;
        if (opcode >= OP_CLOSE) {
            control = new byte[(int) length];
            controlFill = 0;
        }
        if (length == 0) {
            endFrame();
        }
    }

    private void endFrame() throws IOException {
        payloadLeft = -1;
        byte[] payload = control;
        control = null;
        if (payload == null) {
            return;
        }
        switch (opcode) {
            case OP_PING -> {
                sendControl(OP_PONG, payload);
                flushPending(); // what the socket does not take now goes with the next write
            }
            case OP_CLOSE -> {
                closeReceived = true; // answered by close(), after the session's last frames
                if (payload.length >= 2) {
                    closeCode = new byte[] {payload[0], payload[1]};
                }
            }
            default -> { } // a pong: nothing to do
        }
    }

    @Override
    public boolean hasBufferedInput() {
        return carry != null || closeReceived || inner.hasBufferedInput();
    }

    // ------------------------------------------------------------------ writes (writing role)

    /**
     * Sends the whole SPDY frames of {@code src} (the first one completing what an earlier call
     * held) as binary messages of up to {@value MessageBatch#MAX_MESSAGE} bytes, a larger frame in a
     * message of its own, as the server does (PROTOCOL.md section 13.3); holds the bytes of a frame
     * not complete yet. Takes every byte of {@code src}; true when every framed byte is on the socket.
     */
    @Override
    public boolean write(ByteBuffer src) throws IOException {
        if (src.hasRemaining()) {
            int start = src.position();
            int limit = src.limit();
            int heldBytes = held == null ? 0 : held.position();
            int messageStart = start; // held bytes, if any, come before it
            int lastEnd = -1;         // where the last whole frame in src ends
            int p = start;
            while (p < limit) {
                p = followFrame(src, p, limit);
                if (frameHeadFill == 0) { // a frame ended at p
                    if (lastEnd > messageStart && heldBytes + (p - messageStart) > MessageBatch.MAX_MESSAGE) {
                        enqueueMessage(held, slice(src, messageStart, lastEnd)); // the frames before this one
                        held = null;
                        heldBytes = 0;
                        messageStart = lastEnd;
                    }
                    lastEnd = p;
                }
            }
            if (lastEnd >= 0) {
                enqueueMessage(held, slice(src, messageStart, lastEnd));
                held = null;
            }
            int from = lastEnd >= 0 ? lastEnd : start;
            if (limit > from) {
                hold(slice(src, from, limit));
            }
            src.position(limit);
        }
        return flushPending();
    }

    private static ByteBuffer slice(ByteBuffer src, int from, int to) {
        ByteBuffer b = src.duplicate();
        b.limit(to).position(from);
        return b;
    }

    /**
     * Follows the SPDY frame being written through {@code src} from {@code p}: to its end (then
     * {@link #frameHeadFill} is 0 again) or to {@code limit}, whichever comes first.
     */
    private int followFrame(ByteBuffer src, int p, int limit) {
        if (frameHeadFill < frameHead.length) {
            int n = Math.min(frameHead.length - frameHeadFill, limit - p);
            for (int i = 0; i < n; i++) {
                frameHead[frameHeadFill++] = src.get(p + i);
            }
            p += n;
            if (frameHeadFill < frameHead.length) {
                return p;
            }
            frameLeft = ((frameHead[5] & 0xffL) << 16) | ((frameHead[6] & 0xffL) << 8) | (frameHead[7] & 0xffL);
        }
        int n = (int) Math.min(frameLeft, limit - p);
        p += n;
        frameLeft -= n;
        if (frameLeft == 0) {
            frameHeadFill = 0;
        }
        return p;
    }

    private void hold(ByteBuffer bytes) {
        if (held == null) {
            held = ByteBuffer.allocate(Math.max(64, bytes.remaining()));
        } else if (held.remaining() < bytes.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(held.capacity() * 2, held.position() + bytes.remaining()));
            held.flip();
            bigger.put(held);
            held = bigger;
        }
        held.put(bytes);
    }

    /** One masked binary message of {@code first} (write mode, may be null) then {@code second}. */
    private void enqueueMessage(ByteBuffer first, ByteBuffer second) {
        int a = first == null ? 0 : first.position();
        int length = a + second.remaining();
        output.lock();
        try {
            if (closeSent) {
                return; // nothing may follow our close frame
            }
            int mask = ThreadLocalRandom.current().nextInt();
            ByteBuffer out = room(14 + length);
            putHead(out, 0x80 | OP_BINARY, length, mask);
            int payloadStart = out.position();
            if (first != null) {
                out.put(first.array(), 0, a);
            }
            out.put(second);
            maskInPlace(out, payloadStart, mask);
        } finally {
            output.unlock();
        }
    }

    /** A control frame (close, pong) with {@code payload}, queued to go out with the next write. */
    private void sendControl(int op, byte[] payload) {
        output.lock();
        try {
            if (closeSent) {
                return; // nothing may follow our close frame
            }
            closeSent = op == OP_CLOSE;
            int mask = ThreadLocalRandom.current().nextInt();
            ByteBuffer out = room(6 + payload.length);
            putHead(out, 0x80 | op, payload.length, mask);
            int payloadStart = out.position();
            out.put(payload);
            maskInPlace(out, payloadStart, mask);
        } finally {
            output.unlock();
        }
    }

    private void sendClose(byte[] code) {
        sendControl(OP_CLOSE, code);
    }

    /** The output buffer with room for {@code size} more bytes (guarded by output). */
    private ByteBuffer room(int size) {
        if (pending == null) {
            pending = ByteBuffer.allocate(Math.max(size, 256));
        } else if (pending.remaining() < size) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + size));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        return pending;
    }

    private static void putHead(ByteBuffer out, int b0, int length, int mask) {
        out.put((byte) b0);
        if (length <= 125) {
            out.put((byte) (0x80 | length));
        } else if (length <= 0xffff) {
            out.put((byte) (0x80 | 126));
            out.putShort((short) length);
        } else {
            out.put((byte) (0x80 | 127));
            out.putLong(length);
        }
        out.putInt(mask);
    }

    /** XORs {@code out[from..position)} with the masking key, eight bytes at a time. */
    private static void maskInPlace(ByteBuffer out, int from, int mask) {
        long mask8 = ((mask & 0xffffffffL) << 32) | (mask & 0xffffffffL);
        int end = out.position();
        int i = from;
        for (; i + 8 <= end; i += 8) {
            out.putLong(i, out.getLong(i) ^ mask8);
        }
        for (; i < end; i++) {
            out.put(i, (byte) (out.get(i) ^ (mask >>> (24 - 8 * ((i - from) & 3)))));
        }
    }

    /** Writes the framed bytes as far as the socket takes them now; true when none is left. */
    private boolean flushPending() throws IOException {
        output.lock();
        try {
            if (pending == null) {
                return inner.write(EMPTY.duplicate());
            }
            pending.flip();
            boolean all;
            try {
                all = inner.write(pending);
            } finally {
                pending.compact();
            }
            if (pending.position() == 0) {
                pending = null; // an idle connection holds no buffer
                return all;
            }
            return false;
        } finally {
            output.unlock();
        }
    }

    @Override
    public boolean hasPendingOutput() {
        output.lock();
        try {
            return (pending != null && pending.position() > 0) || inner.hasPendingOutput();
        } finally {
            output.unlock();
        }
    }

    // ------------------------------------------------------------------ the rest

    /** Sends our close frame if it can go out at once (the session's GOAWAY went before it), then closes. */
    @Override
    public void close() {
        if (upgraded) {
            try {
                sendClose(closeCode);
                flushPending();
            } catch (IOException | RuntimeException e) {
                // closing anyway
            }
        }
        inner.close();
    }
}
