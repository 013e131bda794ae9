package io.libchan.cdi.internal;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health readiness of the application's libchan servers, check {@code libchan-servers}:
 * UP when every server can take a new session now: its listener is bound and open, its accept
 * loop runs and is not paused, and it holds fewer connections than its limit. The data name each
 * server: {@code "UP"} or {@code "DOWN: <why>"}, and its connections ({@code <name>.connections},
 * when the listener tells). An application with no server is ready. Found by the server's
 * MicroProfile Health (WildFly's SmallRye Health) on its own; thread-safe, never blocks.
 *
 * <p>{@code @Dependent}, not {@code @ApplicationScoped}: WildFly 38's MicroProfile Health keeps the
 * checks of a deployment that failed to start, and calls them later; a client proxy would then fail
 * (no active application context) and report DOWN for a deployment that is not there.
 */
@Readiness
@Dependent
public class ListenerReadiness implements HealthCheck {
    /** The check's name in the health report. */
    public static final String NAME = "libchan-servers";

    @Inject
    LibchanExtension libchan;

    @Override
    public HealthCheckResponse call() {
        HealthReport report = new HealthReport(NAME);
        for (ServerHealth server : HealthReport.servers(libchan)) {
            report.add(server.name(), server.notReady());
            server.state().ifPresent(s -> report.count(server.name() + ".connections", s.connections()));
        }
        return report.response();
    }
}
