package io.libchan.internal.json;

import io.libchan.ChannelClosedException;
import io.libchan.LibchanException;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.internal.inmem.PipeSender;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;

/**
 * Moves messages between a local channel the application put in a message and its channel of the
 * session, by push on the session executor: a message is taken only when the other side can take it
 * (the local sender accepted the last one; the peer gave credit), so an idle channel holds no thread
 * and a slow reader on either side holds back its writer instead of a thread or a buffer. Order is
 * kept (one message in flight per direction); the end or failure of one side is passed on to the other.
 */
final class Pumps {
    private Pumps() {
    }

    /** The peer's messages on {@code in} go to the application's {@code target}. */
    static void into(JsonSession session, InboundChannel in, Sender target) {
        in.receiver().publisher(Object.class, session.executor()).subscribe(new Into(in.receiver(), target));
    }

    /** The application's {@code source} is sent to the peer on {@code out}. */
    static void from(JsonSession session, Receiver source, OutboundChannel out) {
        source.publisher(Object.class, session.executor()).subscribe(new From(source, out, session.executor()));
    }

    /**
     * Asks the session's channel for its next message once the local sender took the last one, so
     * the peer's credit comes back at the pace the application reads.
     */
    private static final class Into implements Flow.Subscriber<Object> {
        private final Receiver source;
        private final Sender target;
        private volatile Flow.Subscription subscription;

        Into(Receiver source, Sender target) {
            this.source = source;
            this.target = target;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(Object message) {
            CompletableFuture<Void> sent;
            try {
                sent = target.sendAsync(message);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((ok, error) -> {
                if (error == null) {
                    subscription.request(1);
                } else {
                    subscription.cancel();
                    targetFailed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                }
            });
        }

        private void targetFailed(Throwable error) {
            if (error instanceof ChannelClosedException) {
                source.close(); // the local receiver went away: tell the peer
            } else {
                failTarget(error);
                source.close();
            }
        }

        @Override
        public void onComplete() {
            target.close();
        }

        @Override
        public void onError(Throwable error) {
            if (error instanceof ChannelClosedException) {
                source.close(); // we closed it: tell the peer
            } else {
                failTarget(error);
            }
        }

        /** The local receiver sees the connection loss where it can, else an end. */
        private void failTarget(Throwable error) {
            if (target instanceof PipeSender && error instanceof LibchanException) {
                ((PipeSender) target).queue().fail((LibchanException) error);
            } else {
                target.close();
            }
        }
    }

    /** Takes the next local message only once the peer has credit for it, so the send never waits. */
    private static final class From implements Flow.Subscriber<Object> {
        private final Receiver source;
        private final OutboundChannel out;
        private final Executor executor;
        private volatile Flow.Subscription subscription;

        From(Receiver source, OutboundChannel out, Executor executor) {
            this.source = source;
            this.out = out;
            this.executor = executor;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            out.whenWritable(this::writable);
        }

        /** Called on the session's reader when credit comes (or the channel died): must not block. */
        private void writable() {
            if (out.isDead()) {
                // the peer's reader or the session is gone: the local sender learns it now (off the
                // reader: closing a network receiver writes)
                try {
                    executor.execute(this::stop);
                } catch (RejectedExecutionException e) {
                    stop(); // shutting down
                }
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(Object message) {
            try {
                out.send(message);
            } catch (RuntimeException e) {
                stop();
                return;
            }
            out.whenWritable(this::writable);
        }

        private void stop() {
            subscription.cancel();
            source.close();
            out.close();
        }

        @Override
        public void onComplete() {
            out.close();
        }

        @Override
        public void onError(Throwable error) {
            source.close();
            out.close();
        }
    }
}
