package io.libchan.internal.transport;

import io.libchan.Settings;
import io.libchan.internal.session.SessionThreads;
import io.libchan.internal.session.SpdySession;
import io.libchan.internal.session.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;

/** Starts a {@link SpdySession} over a connected socket, with its reader loop on its own thread. */
public final class SocketSessions {
    private SocketSessions() {
    }

    /** Called after every read, before its bytes go to the session (unix sockets deliver descriptors here). */
    public interface AfterRead {
        void afterRead(SpdySession session) throws IOException;
    }

    public static SpdySession start(Socket socket, Wire wire, boolean server, Settings settings) throws IOException {
        socket.setTcpNoDelay(true);
        if (wire instanceof ChannelSocketWire) {
            ChannelSocketWire channelWire = (ChannelSocketWire) wire;
            SpdySession session = new SpdySession(wire, server, settings, SessionThreads.executor(settings));
            Thread reader = SessionThreads.factory(settings).newThread(() -> channelWire.readLoop(session));
            session.start();
            reader.start();
            return session;
        }
        return start(socket, wire, server, settings, null);
    }

    public static SpdySession start(Socket socket, Wire wire, boolean server, Settings settings, AfterRead afterRead)
            throws IOException {
        SpdySession session = new SpdySession(wire, server, settings, SessionThreads.executor(settings));
        InputStream in = socket.getInputStream();
        Thread reader = SessionThreads.factory(settings).newThread(() -> readLoop(in, session, afterRead));
        session.start();
        reader.start();
        return session;
    }

    /** Reads until the connection ends, feeding the session. */
    public static void readLoop(InputStream in, SpdySession session, AfterRead afterRead) {
        byte[] buf = new byte[128 * 1024]; // room for several DATA frames, decoded in place
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    session.onEndOfInput();
                    return;
                }
                if (afterRead != null) {
                    afterRead.afterRead(session);
                }
                session.onBytes(ByteBuffer.wrap(buf, 0, n));
            }
        } catch (SocketException e) {
            session.onInputFailed(e);
        } catch (IOException e) {
            session.onInputFailed(e);
        } catch (RuntimeException | Error e) {
            session.onInputFailed(new IOException("session reader failed: " + e, e));
            throw e;
        }
    }
}
