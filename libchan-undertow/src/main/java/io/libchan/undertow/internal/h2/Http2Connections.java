package io.libchan.undertow.internal.h2;

import io.libchan.Settings;
import io.libchan.internal.session.SessionThreads;
import io.libchan.undertow.internal.ClientTls;
import io.libchan.undertow.internal.Uris;
import io.undertow.UndertowOptions;
import io.undertow.client.ClientConnection;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * HTTP/2 client connections (Undertow's client on one shared XNIO worker of daemon threads), shared
 * by every tunnel to the same server with the same TLS settings: many sessions, one connection, as
 * the tunnel mapping intends. A connection is closed a few seconds after its last session ended
 * (unless reused), and replaced when it broke. {@code h2c} connects with prior knowledge (the JDK client cannot), {@code h2}/{@code https}
 * over TLS with ALPN. Thread-safe; {@link #pool} is guarded by {@code this}.
 *
 * <p>The TLS layer gets buffers of its own, each large enough for a whole TLS record as it comes off
 * the wire (the engine's packet buffer size, 16,709 bytes on the JDK). Undertow's {@code SslConduit}
 * unwraps one buffer at a time: with the 16 KiB buffers of the HTTP/2 layer, a full-size record from
 * the server (any write of 16 KiB or more) never fits, the unwrap reports BUFFER_UNDERFLOW for ever,
 * and the I/O thread spins on a readable socket while the connection delivers nothing more.
 */
final class Http2Connections {
    static final Http2Connections SHARED = new Http2Connections();
    private static final int LINGER_SECONDS = 5;

    private XnioWorker worker;
    private ByteBufferPool buffers;
    private ByteBufferPool tlsBuffers;
    private final Map<Key, Shared> pool = new HashMap<>();

    /** What makes two connections interchangeable. */
    private record Key(boolean secure, String authority, boolean insecure, Object trustStore, Object keyStore, Object sslContext) {
        static Key of(URI uri, Settings s) {
            return new Key(Uris.secure(uri), Uris.authority(uri), s.insecure(), s.trustStore().orElse(null),
                    s.keyStore().orElse(null), s.sslContext().orElse(null));
        }
    }

    private static final class Shared {
        final ClientConnection connection;
        int users;

        Shared(ClientConnection connection) {
            this.connection = connection;
        }
    }

    /** A connection to {@code uri}'s server, new or shared; pair every call with {@link #release}. */
    ClientConnection acquire(URI uri, Settings settings) throws IOException {
        Key key = Key.of(uri, settings);
        synchronized (this) {
            Shared s = pool.get(key);
            if (s != null && s.connection.isOpen()) {
                s.users++;
                return s.connection;
            }
        }
        ClientConnection fresh = open(uri, settings);
        synchronized (this) {
            Shared s = pool.get(key);
            if (s != null && s.connection.isOpen()) {
                IoUtils.safeClose(fresh); // another thread won the race
                s.users++;
                return s.connection;
            }
            s = new Shared(fresh);
            s.users = 1;
            pool.put(key, s);
            return fresh;
        }
    }

    /**
     * One user of {@code connection} is done. When it was the last, the connection is closed
     * {@value #LINGER_SECONDS} s later unless a new session took it meanwhile: the last session's
     * final frames (its GOAWAY) are still on their way, and a quick reconnect reuses it.
     */
    void release(ClientConnection connection) {
        Key idle = null;
        synchronized (this) {
            for (Map.Entry<Key, Shared> e : pool.entrySet()) {
                if (e.getValue().connection == connection) {
                    if (--e.getValue().users <= 0) {
                        idle = e.getKey();
                    }
                    break;
                }
            }
        }
        if (idle != null) {
            Key key = idle;
            SessionThreads.timer().schedule(() -> closeIfIdle(key, connection), LINGER_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void closeIfIdle(Key key, ClientConnection connection) {
        synchronized (this) {
            Shared s = pool.get(key);
            if (s == null || s.connection != connection || s.users > 0) {
                return;
            }
            pool.remove(key);
        }
        IoUtils.safeClose(connection);
    }

    private ClientConnection open(URI uri, Settings settings) throws IOException {
        boolean secure = Uris.secure(uri);
        URI target = URI.create((secure ? "h2" : "h2c-prior") + "://" + Uris.authority(uri));
        OptionMap.Builder options = OptionMap.builder()
                .set(UndertowOptions.ENABLE_HTTP2, true)
                // HTTP/2's default window: see LibchanServer on why not larger
                .set(Options.TCP_NODELAY, true);
        if (settings.insecure()) {
            options.set(UndertowOptions.ENDPOINT_IDENTIFICATION_ALGORITHM, "");
        }
        XnioWorker w = worker();
        UndertowXnioSsl ssl = null;
        if (secure) {
            SSLContext context = ClientTls.context(settings);
            ssl = new UndertowXnioSsl(w.getXnio(), OptionMap.EMPTY, tlsBuffers(context), context);
        }
        IoFuture<ClientConnection> future = UndertowClient.getInstance().connect(target, w, ssl, buffers, options.getMap());
        long timeout = settings.connectTimeout().toMillis();
        if (future.await(timeout, TimeUnit.MILLISECONDS) != IoFuture.Status.DONE) {
            future.cancel();
            if (future.getStatus() == IoFuture.Status.FAILED) {
                throw future.getException();
            }
            throw new IOException("timed out after " + timeout + " ms");
        }
        return Objects.requireNonNull(future.get());
    }

    /** Buffers that hold a whole TLS record (and a whole unwrapped one) of {@code context}'s engines. */
    private synchronized ByteBufferPool tlsBuffers(SSLContext context) {
        SSLSession session = context.createSSLEngine().getSession();
        int size = Math.max(session.getPacketBufferSize(), session.getApplicationBufferSize());
        if (tlsBuffers == null || tlsBuffers.getBufferSize() < size) {
            tlsBuffers = new DefaultByteBufferPool(true, size);
        }
        return tlsBuffers;
    }

    private synchronized XnioWorker worker() throws IOException {
        if (worker == null) {
            Xnio xnio = Xnio.getInstance(UndertowClient.class.getClassLoader());
            worker = xnio.createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, Math.max(2, Runtime.getRuntime().availableProcessors()))
                    .set(Options.WORKER_TASK_CORE_THREADS, 1)
                    .set(Options.WORKER_TASK_MAX_THREADS, 4)
                    .set(Options.THREAD_DAEMON, true)
                    .set(Options.WORKER_NAME, "libchan-http2-client")
                    .getMap());
            buffers = new DefaultByteBufferPool(true, 16 * 1024);
        }
        return worker;
    }
}
