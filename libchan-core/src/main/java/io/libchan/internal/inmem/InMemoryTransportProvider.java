package io.libchan.internal.inmem;

import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.EndOfChannelException;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.QueueReceiver;
import io.libchan.spi.TransportProvider;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code inmem:name}: sessions inside one JVM, found by name. Listening twice on one name fails;
 * connecting to a name nobody listens on fails with {@link ConnectionLostException}.
 */
public final class InMemoryTransportProvider implements TransportProvider {
    private static final ConcurrentMap<String, InMemoryListener> LISTENERS = new ConcurrentHashMap<>();

    @Override
    public Set<String> schemes() {
        return Set.of("inmem");
    }

    private static String name(URI uri) {
        String name = uri.getSchemeSpecificPart();
        int q = name.indexOf('?');
        name = q >= 0 ? name.substring(0, q) : name;
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("inmem URI needs a name: inmem:<name>, got " + uri);
        }
        return name;
    }

    @Override
    public Transport connect(URI uri, Settings settings) {
        InMemoryListener listener = LISTENERS.get(name(uri));
        if (listener == null) {
            throw new ConnectionLostException("nothing listens on " + uri);
        }
        InMemoryTransport[] pair = InMemoryTransport.pair(settings, listener.settings, listener.uri().toString());
        if (!listener.sessions.offer(pair[1])) {
            pair[0].abort(); // never seen by anyone: it ends, so it counts open no longer
            throw new ConnectionLostException("listener on " + uri + " is closed");
        }
        return pair[0];
    }

    @Override
    public Listener listen(URI uri, Settings settings) {
        String name = name(uri);
        InMemoryListener listener = new InMemoryListener(name, settings);
        if (LISTENERS.putIfAbsent(name, listener) != null) {
            throw new IllegalStateException("something already listens on inmem:" + name);
        }
        return listener;
    }

    private static final class InMemoryListener implements Listener {
        private final String name;
        /** Where its sessions' metrics go. */
        final Settings settings;
        final ChannelQueue sessions = new ChannelQueue(0);

        InMemoryListener(String name, Settings settings) {
            this.name = name;
            this.settings = settings;
        }

        @Override
        public URI uri() {
            return URI.create("inmem:" + name);
        }

        @Override
        public Transport accept() {
            return accept(Long.MAX_VALUE);
        }

        @Override
        public Transport accept(Duration timeout) {
            return accept(QueueReceiver.deadline(timeout));
        }

        @Override
        public java.util.concurrent.CompletableFuture<Transport> acceptAsync() {
            return QueueReceiver.nextAsync(sessions, "listener closed");
        }

        private Transport accept(long deadline) {
            try {
                return (Transport) sessions.take(deadline);
            } catch (EndOfChannelException e) {
                throw new ChannelClosedException("listener closed");
            }
        }

        @Override
        public void close() {
            LISTENERS.remove(name, this);
            sessions.closeSend();
        }
    }
}
