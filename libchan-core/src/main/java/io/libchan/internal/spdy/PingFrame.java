package io.libchan.internal.spdy;

/**
 * PING: the receiver echoes a ping whose id has the peer's parity (odd from the client). Go
 * libchan never pings on its own but echoes.
 *
 * @param id the unsigned 32-bit ping id, kept as the raw int
 */
public record PingFrame(int id) implements SpdyFrame {

    /** Always 0: PING belongs to the connection. */
    @Override
    public int streamId() {
        return 0;
    }
}
