package io.libchan.cdi.internal;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * MicroProfile Health liveness of the application's libchan servers, check
 * {@code libchan-accept-loops}: DOWN when something only a restart mends went wrong while the
 * application runs: a server's accept loop ended (its listener failed or was closed under it), the
 * thread accepting its connections died, or sessions stayed in their drain (after a GOAWAY) past
 * twice their drain timeout. A full server, or one pausing after an accept failure, is alive (it
 * is only not ready). The data name each server: {@code "UP"} or {@code "DOWN: <why>"}.
 * Thread-safe, never blocks.
 *
 * <p>{@code @Dependent}, not {@code @ApplicationScoped}: WildFly 38's MicroProfile Health keeps the
 * checks of a deployment that failed to start, and calls them later; a client proxy would then fail
 * (no active application context) and report DOWN for a deployment that is not there.
 */
@Liveness
@Dependent
public class ListenerLiveness implements HealthCheck {
    /** The check's name in the health report. */
    public static final String NAME = "libchan-accept-loops";

    @Inject
    LibchanExtension libchan;

    @Override
    public HealthCheckResponse call() {
        HealthReport report = new HealthReport(NAME);
        for (ServerHealth server : HealthReport.servers(libchan)) {
            report.add(server.name(), server.notAlive());
        }
        return report.response();
    }
}
