package io.libchan.internal.spdy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Incremental SPDY/3 frame decoder for the inbound side of one connection. Feed it bytes as they
 * arrive, split anywhere ({@link #decode}), or let it pull whole frames from a stream
 * ({@link #readFrame}); it keeps partial frames and emits whole frames in wire order. It owns the
 * connection's inbound {@link HeaderBlockDecompressor}, so one decoder must see every byte of the
 * connection, in order.
 *
 * <p>Limits ({@link SpdyLimits}) are enforced from the 8-byte frame header, before any payload
 * is buffered. Unknown control types and CREDENTIAL are skipped without buffering, as SPDY/3
 * asks. Reserved high bits of stream ids are ignored.
 *
 * <p>Errors: a connection-scoped {@link SpdyProtocolException} leaves the decoder failed (every
 * later call throws {@link IllegalStateException}); a stream-scoped one means the offending
 * frame was consumed whole and decoding may continue with the rest of the input. Exceptions
 * thrown by the frame consumer propagate unchanged, after the frame was consumed.
 *
 * <p>Not thread-safe: one reader at a time per connection. May hold native memory (a peer that codes its header blocks) until
 * {@link #close()}.
 */
public final class SpdyFrameDecoder implements AutoCloseable {
    private static final byte[] EMPTY = new byte[0];
    private static final int READ_CHUNK = 8192;

    private enum State { HEADER, PAYLOAD, DATA, SKIP, FAILED, CLOSED }

    private final SpdyLimits limits;
    private final HeaderBlockDecompressor decompressor;
    private final byte[] header = new byte[SpdyProtocol.FRAME_HEADER_LENGTH];
    private State state = State.HEADER;
    private int headerFill;
    private boolean control;
    private int type;
    private int flags;
    private int streamId;
    private byte[] payload;
    private int payloadFill;
    private int payloadLength;
    private int skipLeft;
    /** Bytes of the current DATA frame not yet handed to the sink (state DATA). */
    private int dataLeft;
    private byte[] readBuffer;

    /** A decoder with {@link SpdyLimits#DEFAULT}. */
    public SpdyFrameDecoder() {
        this(SpdyLimits.DEFAULT);
    }

    public SpdyFrameDecoder(SpdyLimits limits) {
        this.limits = FrameChecks.notNull("limits", limits);
        this.decompressor = new HeaderBlockDecompressor(limits);
    }

    /**
     * Consumes all remaining bytes of {@code input}, handing each completed frame to
     * {@code frames}. On a stream error the input's position is just past the offending frame,
     * so call again with the same buffer to go on.
     *
     * @throws SpdyProtocolException the peer broke the protocol (see the class comment)
     * @throws IllegalStateException if closed, or failed by an earlier connection error
     */
    public void decode(ByteBuffer input, Consumer<? super SpdyFrame> frames)
            throws SpdyProtocolException {
        decode(input, frames, null);
    }

    /**
     * Where DATA payloads go as they arrive, without being buffered by the decoder: a frame split
     * across inputs comes in several pieces, the first with {@code first} set, the last with
     * {@code fin} if the frame has it. The slice {@code buf[off..off+len)} is only valid during the
     * call. So a peer that announces a 16 MiB frame and sends a byte costs a byte, not 16 MiB.
     * An empty DATA frame still arrives as a {@link DataFrame}.
     */
    @FunctionalInterface
    public interface DataSink {
        void onData(int streamId, boolean first, boolean fin, byte[] buf, int off, int len) throws SpdyProtocolException;
    }

    /** As {@link #decode(ByteBuffer, Consumer)}, handing DATA payloads to {@code data} piece by piece, uncopied from a heap buffer. */
    public void decode(ByteBuffer input, Consumer<? super SpdyFrame> frames, DataSink data)
            throws SpdyProtocolException {
        checkUsable();
        try {
            while (input.hasRemaining()) {
                switch (state) {
                    case HEADER -> {
                        int n = Math.min(header.length - headerFill, input.remaining());
                        input.get(header, headerFill, n);
                        headerFill += n;
                        if (headerFill == header.length) {
                            headerFill = 0;
                            onHeader(frames);
                            if (data != null && state == State.PAYLOAD && !control && payloadLength > 0) {
                                payload = null;
                                dataLeft = payloadLength;
                                state = State.DATA;
                            }
                        }
                    }
                    case DATA -> {
                        int n = Math.min(dataLeft, input.remaining());
                        boolean first = dataLeft == payloadLength;
                        dataLeft -= n;
                        boolean last = dataLeft == 0;
                        if (last) {
                            state = State.HEADER; // consistent before the sink can throw
                        }
                        boolean fin = last && (flags & SpdyProtocol.FLAG_FIN) != 0;
                        int pos = input.position();
                        if (input.hasArray()) {
                            input.position(pos + n);
                            data.onData(streamId, first, fin, input.array(), input.arrayOffset() + pos, n);
                        } else {
                            byte[] piece = new byte[n];
                            input.get(piece);
                            data.onData(streamId, first, fin, piece, 0, n);
                        }
                    }
                    case PAYLOAD -> {
                        if (payload == null) {
                            payload = new byte[payloadLength];
                        }
                        int n = Math.min(payloadLength - payloadFill, input.remaining());
                        input.get(payload, payloadFill, n);
                        payloadFill += n;
                        if (payloadFill == payloadLength) {
                            complete(frames);
                        }
                    }
                    case SKIP -> {
                        int n = Math.min(skipLeft, input.remaining());
                        input.position(input.position() + n);
                        skipLeft -= n;
                        if (skipLeft == 0) {
                            state = State.HEADER;
                        }
                    }
                    default -> throw new IllegalStateException("decoder is " + state);
                }
            }
        } catch (SpdyProtocolException e) {
            if (!e.isStreamError()) {
                fail();
            }
            throw e;
        }
    }

    /**
     * Reads exactly one frame from {@code in}, blocking, never reading past its end (skipped
     * frames are read and dropped). Uses the same state as {@link #decode}; do not mix the two
     * in the middle of a frame.
     *
     * @return the frame, or null if the stream ended cleanly between frames
     * @throws EOFException          if the stream ended in the middle of a frame
     * @throws SpdyProtocolException the peer broke the protocol (see the class comment)
     */
    public SpdyFrame readFrame(InputStream in) throws IOException, SpdyProtocolException {
        checkUsable();
        if (readBuffer == null) {
            readBuffer = new byte[READ_CHUNK];
        }
        SpdyFrame[] result = new SpdyFrame[1];
        while (result[0] == null) {
            int want = Math.min(bytesWanted(), readBuffer.length);
            int got = in.readNBytes(readBuffer, 0, want);
            if (got == 0 && isAtFrameBoundary()) {
                return null;
            }
            // the chunk never spans two frames, so at most one frame comes out of it
            decode(ByteBuffer.wrap(readBuffer, 0, got), f -> result[0] = f);
            if (got < want) {
                throw new EOFException("connection ended in the middle of a SPDY frame");
            }
        }
        return result[0];
    }

    /**
     * Bytes of the DATA payload in progress still to come (handed to the data sink as they
     * arrive); 0 between frames or inside any other frame.
     */
    public int dataBytesLeft() {
        return state == State.DATA ? dataLeft : 0;
    }

    /** True when no partial frame is buffered, i.e. the connection may end here cleanly. */
    public boolean isAtFrameBoundary() {
        return state == State.HEADER && headerFill == 0;
    }

    /**
     * The peer's header blocks after the frame just delivered are stored deflate blocks only
     * ({@link HeaderBlockDecompressor#peerStoresBlocks()}). Call from the frame callback.
     */
    public void peerStoresHeaderBlocks() {
        decompressor.peerStoresBlocks();
    }

    /** Frees the header decompressor's native memory; idempotent. */
    @Override
    public void close() {
        state = State.CLOSED;
        payload = null;
        decompressor.close();
    }

    private int bytesWanted() {
        return switch (state) {
            case HEADER -> header.length - headerFill;
            case PAYLOAD -> payloadLength - payloadFill;
            case DATA -> dataLeft;
            case SKIP -> skipLeft;
            default -> throw new IllegalStateException("decoder is " + state);
        };
    }

    private void onHeader(Consumer<? super SpdyFrame> frames) throws SpdyProtocolException {
        ByteBuffer h = ByteBuffer.wrap(header);
        int first = h.getInt();
        int second = h.getInt();
        flags = second >>> 24;
        int length = second & SpdyProtocol.MAX_FRAME_LENGTH;
        control = first < 0;
        if (control) {
            int version = (first >>> 16) & 0x7FFF;
            type = first & 0xFFFF;
            if (version != SpdyProtocol.VERSION) {
                throw SpdyProtocolException.connectionError("unsupported SPDY version " + version);
            }
            checkLimit(SpdyProtocol.typeName(type), length, limits.maxControlFrameLength());
            if (!ControlFrameParser.isKnown(type)) {
                skipLeft = length;
                state = length == 0 ? State.HEADER : State.SKIP;
                return;
            }
            ControlFrameParser.checkLength(type, length);
        } else {
            streamId = first & SpdyProtocol.STREAM_ID_MASK;
            if (streamId == 0) {
                throw SpdyProtocolException.connectionError("DATA frame on stream 0");
            }
            checkLimit("DATA", length, limits.maxDataFrameLength());
        }
        payloadLength = length;
        payload = length == 0 ? EMPTY : null; // allocated when bytes arrive: a DATA payload whole in the input never needs it
        payloadFill = 0;
        state = State.PAYLOAD;
        if (length == 0) {
            // no payload byte will arrive to trigger completion
            complete(frames);
        }
    }

    private static void checkLimit(String what, int length, int limit)
            throws SpdyProtocolException {
        if (length > limit) {
            throw SpdyProtocolException.connectionError(what + " frame of " + length
                    + " bytes is over the limit of " + limit);
        }
    }

    private void complete(Consumer<? super SpdyFrame> frames) throws SpdyProtocolException {
        byte[] p = payload;
        payload = null;
        // consistent before anything can throw: a stream error or a consumer exception
        // leaves the decoder at the next frame boundary
        state = State.HEADER;
        SpdyFrame frame = control
                ? ControlFrameParser.parse(type, flags, p, decompressor)
                : new DataFrame(streamId, (flags & SpdyProtocol.FLAG_FIN) != 0, p);
        frames.accept(frame);
    }

    private void checkUsable() {
        if (state == State.FAILED || state == State.CLOSED) {
            throw new IllegalStateException(state == State.FAILED
                    ? "SPDY decoder failed after a connection error" : "SPDY decoder is closed");
        }
    }

    private void fail() {
        state = State.FAILED;
        payload = null;
        decompressor.close();
    }
}
