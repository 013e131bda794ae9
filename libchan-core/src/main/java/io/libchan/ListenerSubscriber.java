package io.libchan;

import java.util.concurrent.Flow;

/** Adapts a {@link MessageListener} to a {@link Flow.Subscriber} that requests one message at a time. */
final class ListenerSubscriber<T> implements Flow.Subscriber<T>, AutoCloseable {
    private final MessageListener<T> listener;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;

    ListenerSubscriber(MessageListener<T> listener) {
        this.listener = listener;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(T item) {
        try {
            listener.onMessage(item);
        } catch (Exception | Error e) {
            subscription.cancel();
            listener.onError(e instanceof LibchanException le ? le
                    : new LibchanException("message listener failed: " + e, e));
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        listener.onError(t instanceof LibchanException le ? le : new LibchanException(t.toString(), t));
    }

    @Override
    public void onComplete() {
        listener.onEnd();
    }

    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
