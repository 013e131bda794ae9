package io.libchan.cdi.internal;

import io.libchan.Sender;
import java.lang.System.Logger.Level;

/** Sends a reply and then closes the reply channel, without parking the calling thread. Stateless. */
final class Replies {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");

    private Replies() {
    }

    /**
     * Sends {@code message} on {@code reply} asynchronously and closes {@code reply} once the send
     * completed (or failed, which is logged: the caller has gone away).
     */
    static void sendThenClose(Sender reply, Object message, String endpoint) {
        try {
            reply.sendAsync(message).whenComplete((ok, error) -> {
                if (error != null) {
                    LOG.log(Level.WARNING, () -> UserMessages.replyFailed(endpoint, error), error);
                }
                reply.close();
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> UserMessages.replyFailed(endpoint, e), e);
            reply.close();
        }
    }
}
