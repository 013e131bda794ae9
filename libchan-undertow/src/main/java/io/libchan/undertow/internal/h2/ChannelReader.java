package io.libchan.undertow.internal.h2;

import io.libchan.internal.session.SpdySession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.xnio.channels.StreamSourceChannel;

/**
 * Reads one tunnel body with blocking reads on the calling thread (never an I/O thread) and feeds
 * the session. Undertow returns HTTP/2 window to the peer as bytes are read, so a session that is
 * slow to digest them slows the peer down; nothing piles up in between.
 */
final class ChannelReader {
    private ChannelReader() {
    }

    /** Returns when the body ends, the read fails, or the wire was closed. */
    static void readLoop(StreamSourceChannel source, SpdySession session, ChannelWire wire) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (true) {
                buf.clear();
                int n = source.read(buf);
                if (n < 0) {
                    session.onEndOfInput();
                    return;
                }
                if (n == 0) {
                    if (wire.isClosed()) {
                        return;
                    }
                    source.awaitReadable(1, TimeUnit.SECONDS);
                    continue;
                }
                buf.flip();
                session.onBytes(buf);
            }
        } catch (IOException e) {
            session.onInputFailed(e);
        } catch (RuntimeException | Error e) {
            session.onInputFailed(new IOException("session reader failed: " + e, e));
            throw e;
        }
    }
}
