package io.libchan.internal.gateway;

import io.libchan.BytePipe;
import io.libchan.ByteStream;
import io.libchan.EndOfChannelException;
import io.libchan.ErrorReply;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.ProtocolException;
import io.libchan.RemoteErrorException;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.gateway.Gateway;
import io.libchan.gateway.TunnelRefusedException;
import java.io.FileDescriptor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The client side of one tunnel request (PROTOCOL.md section 14): sends {@code {target, conn, ret}}
 * (with {@code fd: true} when the caller takes the target's socket itself) and reads the answer.
 */
public final class TunnelRequest {
    /** An open tunnel: its bytes on {@code conn}, or, when the gateway handed it over, the target's socket. */
    public static final class Opened {
        private final ByteStream conn;
        private final FileDescriptor socket;

        Opened(ByteStream conn, FileDescriptor socket) {
            this.conn = conn;
            this.socket = socket;
        }

        /** The tunnel's bytes; closed already when {@link #socket()} is present. */
        public ByteStream conn() {
            return conn;
        }

        /** The target's connected socket, when the gateway handed it over; the caller owns it. */
        public Optional<FileDescriptor> socket() {
            return Optional.ofNullable(socket);
        }
    }

    private TunnelRequest() {
    }

    /**
     * Opens a tunnel to {@code target} and waits at most {@code timeout} for the answer.
     *
     * @param takeDescriptor asks the gateway for the target's socket itself (only a unix session to
     *     a Java gateway can carry it; any other answers with the bytes on {@code conn})
     */
    public static Opened open(Transport session, String target, Duration timeout, boolean takeDescriptor) {
        BytePipe conn = BytePipe.create();
        Pipe ret = Pipe.create();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("target", target);
        request.put("conn", conn.remote());
        request.put(Messages.RET, ret.sender());
        if (takeDescriptor) {
            request.put("fd", true);
        }
        Sender channel = session.newSendChannel(Gateway.CHANNEL);
        boolean ok = false;
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            channel.send(request, timeout);
            Object answer = ret.receiver().receive(Object.class, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            Optional<RemoteErrorException> error = ErrorReply.asError(answer);
            if (error.isPresent()) {
                RemoteErrorException r = error.get();
                throw new TunnelRefusedException(r.type(), r.getMessage().substring(r.type().length() + 2));
            }
            if (!Messages.flag(answer, "ok")) {
                throw new ProtocolException("the gateway answered neither {ok: true} nor an error: " + answer);
            }
            Object fd = Messages.field(answer, "fd").orElse(null);
            ok = true;
            if (fd instanceof FileDescriptor) {
                // we hold the socket now: letting go of conn tells the gateway to close its copy
                conn.local().close();
                return new Opened(conn.local(), (FileDescriptor) fd);
            }
            return new Opened(conn.local(), null);
        } catch (EndOfChannelException e) {
            throw new ProtocolException("the gateway closed ret without an answer");
        } finally {
            channel.close();
            ret.receiver().close();
            if (!ok) {
                conn.local().close();
            }
        }
    }
}
