package io.libchan.internal.json;

import io.libchan.ChannelClosedException;
import io.libchan.EndOfChannelException;
import io.libchan.LibchanException;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.internal.inmem.PipeSender;

/**
 * Copies between a local channel the application put in a message and its channel of the session,
 * each on its own executor thread, until either side ends; the end or failure of one side is passed
 * on to the other.
 */
final class Pumps {
    private Pumps() {
    }

    /** The peer's messages on {@code in} go to the application's {@code target}. */
    static void into(JsonSession session, InboundChannel in, Sender target) {
        session.executor().execute(() -> {
            Receiver source = in.receiver();
            try {
                while (true) {
                    target.send(source.receive());
                }
            } catch (EndOfChannelException e) {
                target.close();
            } catch (ChannelClosedException e) {
                source.close(); // the local receiver went away: tell the peer
            } catch (LibchanException e) {
                if (target instanceof PipeSender) {
                    ((PipeSender) target).queue().fail(e); // the local receiver sees the connection loss
                } else {
                    target.close();
                }
            }
        });
    }

    /** The application's {@code source} is sent to the peer on {@code out}. */
    static void from(JsonSession session, Receiver source, OutboundChannel out) {
        session.executor().execute(() -> {
            try {
                while (true) {
                    Object m;
                    try {
                        m = source.receive();
                    } catch (EndOfChannelException e) {
                        out.close();
                        return;
                    }
                    out.send(m);
                }
            } catch (LibchanException e) {
                source.close();
                out.close();
            }
        });
    }
}
