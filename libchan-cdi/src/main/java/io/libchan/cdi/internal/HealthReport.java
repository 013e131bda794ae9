package io.libchan.cdi.internal;

import jakarta.enterprise.context.ContextNotActiveException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Builds one health check's response from per-server verdicts: DOWN as soon as one server is.
 * Made with {@link HealthCheckResponse}'s constructor, which needs no response provider (Weld SE
 * and tests have none). Not thread-safe: one per call.
 */
final class HealthReport {
    private final String name;
    private final Map<String, Object> data = new LinkedHashMap<>();
    private boolean up = true;

    /**
     * The servers' health, or none once the application is gone: WildFly 38 may still call the
     * checks of a deployment that failed to start, whose context no longer answers (Weld: no active
     * context, or a reference not valid after the container's shutdown).
     */
    static List<ServerHealth> servers(LibchanExtension libchan) {
        try {
            return libchan.health();
        } catch (ContextNotActiveException | IllegalStateException gone) {
            return List.of();
        }
    }

    HealthReport(String name) {
        this.name = name;
    }

    /** {@code server} is UP when {@code problem} is empty, else DOWN for that reason. */
    void add(String server, Optional<String> problem) {
        data.put(server, problem.map(p -> "DOWN: " + p).orElse("UP"));
        up &= problem.isEmpty();
    }

    void count(String key, long value) {
        data.put(key, value);
    }

    HealthCheckResponse response() {
        return new HealthCheckResponse(name, up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                data.isEmpty() ? Optional.empty() : Optional.of(java.util.Collections.unmodifiableMap(data)));
    }
}
