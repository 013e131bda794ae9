package io.libchan.demo.raw;

import io.libchan.Libchan;
import io.libchan.LibchanException;
import io.libchan.Listener;
import io.libchan.demo.echo.DemoEchoService;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The raw libchan server of the demo: on deployment it listens on {@code libchan.server.raw.listen}
 * (SPDY/3 straight on a socket, the way Go libchan and jschan connect: {@code tcp://host:port}, or
 * {@code tls://host:port?keystore=...&keystorePassword=...}) and serves the echo protocol
 * ({@link DemoEchoService}); on undeploy it ends every session cleanly (see
 * {@link DemoEchoService#close(Duration)}) before the application goes away.
 *
 * <p><b>Threads.</b> The accept loop, session loops, channels and byte-stream echoes run on
 * container-managed threads: a pool of at most {@code libchan.server.raw.max-threads} threads made by
 * the server's {@link ManagedThreadFactory}, so they carry the application's context (class loader,
 * JNDI). Not the default {@code ManagedExecutorService}: on WildFly its pool is sized by the
 * processor count, queues without bound and reports tasks over 60 s as hung, while a libchan task
 * holds its thread for as long as a peer keeps a channel open: a few clients would starve everyone
 * queued behind them. Over the cap a new session is refused and a new channel
 * closed at once. (libchan-core still reads each connection on a thread of its own, outside the
 * container's control; {@link LibchanCoreThreads} stops its static ones on undeploy.)
 *
 * <p>A listen address that cannot be bound fails the deployment, naming the configuration key.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RawLibchanServer {
    /** The configuration key of the listen URI. */
    public static final String LISTEN_KEY = "libchan.server.raw.listen";
    private static final Logger LOG = Logger.getLogger(RawLibchanServer.class.getName());

    @Inject
    @ConfigProperty(name = LISTEN_KEY)
    String listen;

    @Inject
    @ConfigProperty(name = "libchan.server.raw.max-threads")
    int maxThreads;

    @Inject
    @ConfigProperty(name = "libchan.server.raw.shutdown-grace")
    Duration shutdownGrace;

    @Resource
    ManagedThreadFactory threadFactory;

    private volatile Listener listener;
    private ThreadPoolExecutor threads;
    private DemoEchoService echo;

    @PostConstruct
    void start() {
        threads = new ThreadPoolExecutor(0, maxThreads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threadFactory);
        try {
            listener = Libchan.listen(listen);
        } catch (LibchanException | IllegalArgumentException e) {
            threads.shutdownNow();
            throw new IllegalStateException(LISTEN_KEY + "=" + listen + ": " + e.getMessage(), e);
        }
        echo = DemoEchoService.start(listener, threads);
        LOG.info(() -> "libchan echo service listening on " + listener.uri());
    }

    @PreDestroy
    void stop() {
        boolean clean = echo.close(shutdownGrace);
        threads.shutdownNow();
        LibchanCoreThreads.release();
        LOG.info(() -> "libchan echo service on " + listener.uri() + " stopped"
                + (clean ? "" : " (some work did not end: see the warning above)"));
    }

    /** The address actually bound (the real port when the configured one was 0). */
    public URI uri() {
        return listener.uri();
    }

    /** Sessions open now. */
    public int openSessions() {
        return echo.openSessions();
    }
}
