package io.libchan.demo.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code GET /health} (every check), {@code /health/live} (liveness) and {@code /health/ready}
 * (readiness), in MicroProfile Health's JSON: {@code {"status":"UP","checks":[{"name":...,
 * "status":...,"data":{...}}]}}, status 200 when every check is UP and 503 otherwise, as a
 * MicroProfile server answers. The checks are the application's CDI beans (libchan-cdi's
 * {@code libchan-servers} and {@code libchan-accept-loops}), called on the request's thread; they
 * never block. Thread-safe.
 */
final class HealthHandler implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Instance<Object> beans;

    HealthHandler(Instance<Object> beans) {
        this.beans = beans;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        Annotation kind = path.endsWith("/live") ? Liveness.Literal.INSTANCE
                : path.endsWith("/ready") ? Readiness.Literal.INSTANCE : Any.Literal.INSTANCE;
        List<Map<String, Object>> checks = new ArrayList<>();
        boolean up = true;
        for (Instance.Handle<HealthCheck> check : beans.select(HealthCheck.class, kind).handles()) {
            HealthCheckResponse r;
            try {
                r = check.get().call();
            } finally {
                check.destroy(); // a @Dependent check made for this request goes with it
            }
            up &= r.getStatus() == HealthCheckResponse.Status.UP;
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", r.getName());
            json.put("status", r.getStatus().name());
            r.getData().ifPresent(data -> json.put("data", data));
            checks.add(json);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        exchange.setStatusCode(up ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(JSON.writeValueAsString(body));
    }
}
