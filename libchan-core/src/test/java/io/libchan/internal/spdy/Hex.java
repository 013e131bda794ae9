package io.libchan.internal.spdy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: hex dumps as in go-peer-wire.md (test resources), and feeding a decoder in various splits. */
final class Hex {
    private Hex() {
    }

    /** Bytes from a hex dump; whitespace is ignored. */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Decodes {@code bytes} in one call. */
    static List<SpdyFrame> decodeWhole(SpdyFrameDecoder decoder, byte[] bytes)
            throws SpdyProtocolException {
        List<SpdyFrame> frames = new ArrayList<>();
        decoder.decode(ByteBuffer.wrap(bytes), frames::add);
        return frames;
    }

    /** Decodes {@code bytes} fed one byte per call. */
    static List<SpdyFrame> decodeByteByByte(SpdyFrameDecoder decoder, byte[] bytes)
            throws SpdyProtocolException {
        List<SpdyFrame> frames = new ArrayList<>();
        for (byte b : bytes) {
            decoder.decode(ByteBuffer.wrap(new byte[] {b}), frames::add);
        }
        return frames;
    }
}
