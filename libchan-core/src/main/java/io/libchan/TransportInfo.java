package io.libchan;

import java.util.Objects;
import java.util.Optional;

/**
 * Who is on the other end of a {@link Transport}, and what went through it so far: a snapshot,
 * immutable, taken by {@link Transport#info()}. The counters only grow; take two snapshots to see
 * a rate.
 *
 * <p>Bytes are those on the wire (frames with their headers, as the session wrote and read them,
 * before TLS or WebSocket framing); messages are whole messages of any channel of the session,
 * nested ones included. In memory nothing is encoded: bytes stay 0, and only messages on
 * top-level channels are counted.
 *
 * @param transport     how the session is carried: {@code tcp}, {@code tls}, {@code unix}, {@code ws},
 *                      {@code wss}, {@code h2}, {@code h2c}, {@code inmem}, or the scheme of another wire
 * @param peerAddress   the peer's address as the transport knows it ({@code 127.0.0.1:52114}, a unix
 *                      socket's path, the URI dialled by a client); empty in memory
 * @param dialect       the wire dialect once known (a server learns it from the peer's first channel);
 *                      empty in memory and before
 * @param messagesSent     messages written to the peer
 * @param messagesReceived whole messages read from the peer
 * @param bytesSent        bytes written to the connection
 * @param bytesReceived    bytes read from the connection
 * @param openChannels     channels and byte streams open now
 */
public record TransportInfo(String transport, Optional<String> peerAddress, Optional<Dialect> dialect,
                            long messagesSent, long messagesReceived, long bytesSent, long bytesReceived,
                            int openChannels) {

    public TransportInfo {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(peerAddress, "peerAddress");
        Objects.requireNonNull(dialect, "dialect");
    }

    /** What a {@link Transport} of one's own that does not tell reports. */
    public static TransportInfo unknown() {
        return new TransportInfo("unknown", Optional.empty(), Optional.empty(), 0, 0, 0, 0, 0);
    }
}
