package io.libchan.demo.web;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.cdi.ChannelServers;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * The libchan sessions that arrive on WildFly's own HTTP listeners: libchan-undertow's
 * {@code LibchanServletExtension} accepts them (WebSocket, HTTP/2 tunnel, HTTP/1.1 calls at
 * {@code /libchan-demo/libchan}) and this bean hands its listener to libchan-cdi as the server
 * {@value #SERVER} ({@link ChannelServers#serve(String, Listener)}), so they reach the same
 * {@code @ChannelEndpoint}s as the raw server's, routed ({@code libchan.server.web.default-endpoint})
 * and drained at undeploy the same way.
 *
 * <p>Lifecycle: {@link #serve} when the servlet context starts ({@link HttpSessionsStartup});
 * {@link #stop()} when the application scope ends, after libchan-cdi has closed that listener and
 * drained its sessions: it stops the threads libchan-core started for them (the servlet endpoint
 * runs its sessions on libchan-core's default threads, which would otherwise outlive the deployment
 * and pin its class loader). Thread-safe.
 */
@ApplicationScoped
public class HttpSessions {
    /** The server name of microprofile-config.properties ({@code libchan.server.web.*}, no {@code listen} key). */
    static final String SERVER = "web";
    private static final Logger LOG = Logger.getLogger(HttpSessions.class.getName());

    @Inject
    ChannelServers servers;

    private boolean serving;

    synchronized void serve(Listener endpoint) {
        if (!serving) {
            servers.serve(SERVER, endpoint);
            serving = true;
            LOG.info(() -> "libchan over HTTP at " + endpoint.uri() + " (WebSocket, HTTP/2, HTTP/1.1 calls)");
        }
    }

    @PreDestroy
    synchronized void stop() {
        Libchan.shutdownDefaultThreads(Duration.ofSeconds(5));
    }
}
