package io.libchan.undertow.internal.h2;

import io.libchan.internal.session.SessionThreads;
import io.libchan.internal.session.SpdySession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;

/**
 * Feeds one tunnel body to its session on the connection's I/O thread, as a read listener: the
 * frames are decoded where Undertow delivers the bytes, with no hand-off to another thread (a
 * round trip over a tunnel used to cost two thread wake-ups more than over TCP). This is safe
 * because {@link SpdySession#onBytes} never blocks on such a wire ({@link ChannelWire#readerMayBlock()}):
 * its own frames are queued and written by {@link ChannelWire} on this same thread, and a peer that
 * overruns its flow-control windows fails its session instead of pausing the reader. Undertow
 * returns HTTP/2 window to the peer as bytes are read. The end of the body or a failed read is
 * reported to the session off the I/O thread, so its close handling may block.
 */
final class BodyReader implements ChannelListener<StreamSourceChannel> {
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private final SpdySession session;
    private boolean done;

    private BodyReader(SpdySession session) {
        this.session = session;
    }

    /** Starts feeding {@code source} to {@code session}; returns at once. */
    static void start(StreamSourceChannel source, SpdySession session) {
        source.getReadSetter().set(new BodyReader(session));
        source.resumeReads();
    }

    @Override
    public void handleEvent(StreamSourceChannel source) {
        if (done) {
            source.suspendReads();
            return;
        }
        try {
            while (true) {
                buf.clear();
                int n = source.read(buf);
                if (n == 0) {
                    return;
                }
                if (n < 0) {
                    finish(source, session::onEndOfInput);
                    return;
                }
                buf.flip();
                session.onBytes(buf);
            }
        } catch (IOException e) {
            finish(source, () -> session.onInputFailed(e));
            IoUtils.safeClose(source);
        } catch (RuntimeException | Error e) {
            finish(source, () -> session.onInputFailed(new IOException("session reader failed: " + e, e)));
            IoUtils.safeClose(source);
            throw e;
        }
    }

    private void finish(StreamSourceChannel source, Runnable report) {
        done = true;
        source.suspendReads();
        try {
            SessionThreads.executor().execute(report);
        } catch (RejectedExecutionException e) {
            report.run();
        }
    }
}
