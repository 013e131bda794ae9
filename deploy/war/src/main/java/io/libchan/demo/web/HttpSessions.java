package io.libchan.demo.web;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.example.ExampleThreads;
import io.libchan.example.bridge.SessionBridge;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * The libchan sessions that arrive on WildFly's own HTTP listeners: libchan-undertow's
 * {@code LibchanServletExtension} accepts them (WebSocket, HTTP/2 tunnel, HTTP/1.1 calls at
 * {@code /libchan-demo/libchan}) and this bean hands them to libchan-cdi's {@code inmem:web} server
 * through a {@link SessionBridge}, so they reach the same {@code @ChannelEndpoint}s as the raw
 * server's.
 *
 * <p>Lifecycle: {@link #serve} when the servlet context starts ({@link HttpSessionsStartup});
 * {@link #stop()} when the application scope ends, after libchan-cdi has drained its sessions (which
 * closes the bridged ones too): it waits for them to end, then stops the threads libchan-core
 * started for them (the servlet endpoint runs its sessions on libchan-core's default threads, which
 * would otherwise outlive the deployment and pin its class loader). Thread-safe.
 */
@ApplicationScoped
public class HttpSessions {
    private static final Logger LOG = Logger.getLogger(HttpSessions.class.getName());
    /** The in-memory server of microprofile-config.properties ({@code libchan.server.web.listen=inmem:web}). */
    static final URI APPLICATION = URI.create("inmem://web");

    @Inject
    ExampleThreads threads;

    private SessionBridge bridge;

    synchronized void serve(Listener endpoint) {
        if (bridge == null) {
            bridge = SessionBridge.start(endpoint, APPLICATION, threads.threadFactory(), threads.executor());
            LOG.info(() -> "libchan over HTTP at " + endpoint.uri() + " (WebSocket, HTTP/2, HTTP/1.1 calls)");
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (bridge != null) {
            bridge.close(Duration.ofSeconds(5));
        }
        Libchan.shutdownDefaultThreads(Duration.ofSeconds(5));
    }
}
