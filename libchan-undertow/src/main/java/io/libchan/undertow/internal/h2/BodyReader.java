package io.libchan.undertow.internal.h2;

import io.libchan.internal.session.SessionThreads;
import io.libchan.internal.session.SpdySession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSourceChannel;

/**
 * Feeds one tunnel body to its session on the connection's I/O thread, as a read listener: the
 * frames are decoded where Undertow delivers the bytes, with no hand-off to another thread (a
 * round trip over a tunnel used to cost two thread wake-ups more than over TCP). This is safe
 * because {@link SpdySession#onBytes} never blocks on such a wire ({@link ChannelWire#readerMayBlock()}):
 * its own frames are queued and written by {@link ChannelWire} on this same thread.
 *
 * <p>Back-pressure ({@link ChannelWire#pausesReading()}): after each read, if the session may not
 * take more input (a peer past every flow-control window, its bytes unread), reads are suspended
 * and resumed on the I/O thread once the session allows it. Undertow returns HTTP/2 window to the
 * peer only as the body is read, so a paused body holds the peer to its stream window; no thread
 * waits meanwhile, and other streams of the connection go on.
 *
 * <p>The end of the body, a failed read, or a bug or {@link Error} while handling the input
 * ({@link SpdySession#onFault}: this session ends, nothing else) is reported to the session off
 * the I/O thread, after every byte read before it, so its close handling may block (the wire's
 * last writes may wait for the peer). Confined to the I/O thread.
 */
final class BodyReader implements ChannelListener<StreamSourceChannel> {
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private final SpdySession session;
    private final XnioIoThread io;
    private boolean done;
    private boolean paused;

    private BodyReader(SpdySession session, XnioIoThread io) {
        this.session = session;
        this.io = io;
    }

    /** Starts feeding {@code source} to {@code session}; returns at once. */
    static void start(StreamSourceChannel source, SpdySession session) {
        source.getReadSetter().set(new BodyReader(session, source.getIoThread()));
        source.resumeReads();
    }

    @Override
    public void handleEvent(StreamSourceChannel source) {
        if (done || paused) {
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
                if (!session.readingAllowed()) {
                    pause(source);
                    return;
                }
            }
        } catch (IOException e) {
            finish(source, () -> session.onInputFailed(e));
            IoUtils.safeClose(source);
        } catch (RuntimeException | Error e) {
            finish(source, () -> session.onFault(e));
            IoUtils.safeClose(source);
        }
    }

    /** Stops reading until the session may take more: the peer is held by its HTTP/2 stream window. */
    private void pause(StreamSourceChannel source) {
        paused = true;
        source.suspendReads();
        session.whenReadingAllowed(() -> onIoThread(source));
    }

    /** From the session's callback (any thread, inside the session's own code): resumes on the I/O thread. */
    private void onIoThread(StreamSourceChannel source) {
        try {
            io.execute(() -> resume(source));
        } catch (RejectedExecutionException e) {
            // the I/O thread is gone: so is the connection, which the session hears from its writes
        }
    }

    private void resume(StreamSourceChannel source) {
        if (!paused || done) {
            return;
        }
        if (!session.readingAllowed()) {
            session.whenReadingAllowed(() -> onIoThread(source)); // spent again meanwhile
            return;
        }
        paused = false;
        source.resumeReads(); // Undertow calls handleEvent again on this thread for what waits
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
