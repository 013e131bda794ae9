package io.libchan.internal.session;

import io.libchan.ByteStream;
import io.libchan.EndOfChannelException;
import io.libchan.LibchanException;
import io.libchan.MessageListener;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.internal.bytes.ByteBufferPipe;
import io.libchan.internal.bytes.PipedByteStream;
import io.libchan.internal.inmem.PipeSender;
import io.libchan.internal.queue.ChannelQueue;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.lang.System.Logger.Level;

/**
 * Turns local values in an outgoing message into nested streams (PROTOCOL.md section 4.1: the side
 * that encodes a reference opens its stream): the stream is opened while encoding, so its SYN_STREAM precedes the DATA that
 * names it, and the work that moves its messages or bytes starts once the message is written.
 * Local values are proxied like Go does, except an in-memory pipe's sender, whose queue the
 * stream feeds directly (no copy hop). Not thread-safe: one per message being encoded.
 */
final class References implements EncodeContext {
    private static final System.Logger LOG = System.getLogger(References.class.getName());

    private final SpdySession session;
    private final SessionStream parent;
    // made on the first reference: most messages carry none, and one is made per message sent
    private List<SessionStream> opened;
    private List<Runnable> starts;

    References(SpdySession session, SessionStream parent) {
        this.session = session;
        this.parent = parent;
    }

    @Override
    public Reference reference(Object value) {
        if (value instanceof Sender) {
            return sender((Sender) value);
        }
        if (value instanceof Receiver) {
            return receiver((Receiver) value);
        }
        if (value instanceof ByteStream) {
            return byteStream((ByteStream) value);
        }
        if (value instanceof InputStream) {
            return inputStream((InputStream) value);
        }
        if (value instanceof OutputStream) {
            return outputStream((OutputStream) value);
        }
        if (value instanceof FileDescriptor || value instanceof Socket) {
            return descriptor(value);
        }
        throw new IllegalArgumentException("cannot send a " + value.getClass().getName() + " as a reference");
    }

    /** The peer gets a Sender: what it sends comes back into {@code local}. */
    private Reference sender(Sender local) {
        SessionStream s = tracked(session.openForPeerToWrite(parent));
        if (local instanceof PipeSender) {
            s.receiveMessagesInto(((PipeSender) local).queue());
        } else {
            ChannelQueue queue = new ChannelQueue(0);
            s.receiveMessagesInto(queue);
            StreamReceiver from = new StreamReceiver(s, queue);
            starts().add(() -> from.subscribe(Object.class, session.executor(), forwardTo(local, from)));
        }
        return new Reference(ReferenceKind.SENDER, s.ref, s.refTraceparent);
    }

    /** The peer gets a Receiver: what {@code local} yields is sent to it. */
    private Reference receiver(Receiver local) {
        SessionStream s = open(false);
        s.discardInbound();
        StreamSender to = new StreamSender(s);
        starts().add(() -> local.subscribe(Object.class, session.executor(), forwardTo(to, local)));
        return new Reference(ReferenceKind.RECEIVER, s.ref);
    }

    private static MessageListener<Object> forwardTo(Sender to, Receiver from) {
        return new MessageListener<>() {
            @Override
            public void onMessage(Object message) {
                to.send(message);
            }

            @Override
            public void onEnd() {
                to.close();
            }

            @Override
            public void onError(LibchanException error) {
                if (!(error instanceof EndOfChannelException)) {
                    LOG.log(Level.DEBUG, "forwarding a nested channel stopped", error);
                }
                fail(to, error); // the far receiver learns it failed, rather than seeing a clean end
                from.close();
            }
        };
    }

    /**
     * Passes a failure on to a channel we forward into: a network channel is reset (its receiver
     * gets {@code ChannelClosedException}), an in-memory pipe fails with the error itself.
     */
    private static void fail(Sender to, LibchanException error) {
        if (to instanceof StreamSender) {
            ((StreamSender) to).reset();
        } else if (to instanceof PipeSender) {
            ((PipeSender) to).queue().fail(error);
        } else {
            to.close();
        }
    }

    /**
     * A file descriptor or socket: passed as itself over a unix socket to a Java peer that agreed;
     * elsewhere its bytes travel as a byte stream (a file is read, a socket is proxied both ways).
     */
    private Reference descriptor(Object value) {
        Optional<FileDescriptor> fd = session.fdPassingActive() ? session.wire().descriptorOf(value) : Optional.empty();
        if (fd.isPresent()) {
            SessionStream s = tracked(session.openDescriptor(parent, fd.get()));
            return new Reference(ReferenceKind.FILE_DESCRIPTOR, s.ref);
        }
        if (value instanceof Socket) {
            Socket socket = (Socket) value;
            try {
                return byteStream(new io.libchan.internal.bytes.SocketByteStream(socket));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot send a socket that is not connected: " + e.getMessage(), e);
            }
        }
        return inputStream(new FileInputStream((FileDescriptor) value) {
            @Override
            public void close() {
                // the descriptor belongs to the caller
            }
        });
    }

    private Reference byteStream(ByteStream local) {
        if (local instanceof PipedByteStream) {
            return splicedByteStream((PipedByteStream) local);
        }
        SessionStream s = open(true);
        StreamByteStream remote = byteStreamOn(s);
        starts().add(() -> {
            copy(local.input(), remote.output(), remote::closeWrite);
            copy(remote.input(), local.output(), local::closeWrite);
        });
        return new Reference(ReferenceKind.BYTE_STREAM, s.ref);
    }

    /**
     * The remote end of an in-memory {@link io.libchan.BytePipe}: no copy threads. What arrives from
     * the peer goes straight into the buffer the local end reads, and what the local end writes
     * goes straight out as DATA frames (unless it already wrote before the message was sent: then
     * those bytes are copied by a thread, as for any stream).
     */
    private Reference splicedByteStream(PipedByteStream remoteEnd) {
        SessionStream s = open(true);
        ByteBufferPipe towardsLocal = remoteEnd.inboundOfPartner();
        s.receiveBytesInto(towardsLocal);
        StreamByteStream network = new StreamByteStream(s, towardsLocal);
        if (!remoteEnd.spliceOutbound(network.output())) {
            starts().add(() -> copy(remoteEnd.input(), network.output(), network::closeWrite));
        } else {
            remoteEnd.splicedTo(network);
        }
        return new Reference(ReferenceKind.BYTE_STREAM, s.ref);
    }

    /** The peer reads: our InputStream's bytes are sent, then FIN. */
    private Reference inputStream(InputStream local) {
        SessionStream s = open(true);
        StreamByteStream remote = byteStreamOn(s);
        starts().add(() -> copy(local, remote.output(), () -> {
            remote.closeWrite();
            close(local);
        }));
        return new Reference(ReferenceKind.BYTE_STREAM_READ, s.ref);
    }

    /** The peer writes: its bytes go into our OutputStream, closed at the peer's FIN. */
    private Reference outputStream(OutputStream local) {
        SessionStream s = open(true);
        StreamByteStream remote = byteStreamOn(s);
        starts().add(() -> {
            remote.closeWrite();
            copy(remote.input(), local, () -> close(local));
        });
        return new Reference(ReferenceKind.BYTE_STREAM_WRITE, s.ref);
    }

    private StreamByteStream byteStreamOn(SessionStream s) {
        ByteBufferPipe inbound = new ByteBufferPipe(session.flow().ourWindow());
        s.receiveBytesInto(inbound);
        return new StreamByteStream(s, inbound);
    }

    private void copy(InputStream in, OutputStream out, Runnable atEnd) {
        session.executor().execute(() -> {
            byte[] buf = new byte[32 * 1024];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "byte stream copy stopped", e);
            } finally {
                atEnd.run();
            }
        });
    }

    private static void close(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing left to tell
        }
    }

    private SessionStream open(boolean byteStream) {
        return tracked(session.openNested(parent, byteStream));
    }

    /** A stream opened for this message: reset if the message is not sent. */
    private SessionStream tracked(SessionStream s) {
        if (opened == null) {
            opened = new ArrayList<>(2);
        }
        opened.add(s);
        return s;
    }

    private List<Runnable> starts() {
        if (starts == null) {
            starts = new ArrayList<>(2);
        }
        return starts;
    }

    /** The message was written: start moving data on the nested streams. */
    void started() {
        if (starts == null) {
            return;
        }
        for (int i = 0; i < starts.size(); i++) { // no iterator per message
            starts.get(i).run();
        }
    }

    /** The message was not sent: reset the streams opened for it. */
    void abandon() {
        if (opened == null) {
            return;
        }
        for (SessionStream s : opened) {
            session.abandon(s);
        }
    }
}
