package io.libchan.rest.internal;

import io.libchan.internal.fallback.AllowedOrigins;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Refuses, with 403, a browser's WebSocket handshake from an origin that is not allowed
 * ({@link AllowedOrigins}, {@value io.libchan.rest.LibchanRest#ALLOWED_ORIGINS}), before the WebSocket
 * container upgrades it: a page of any site may open a WebSocket to any server, with the credentials
 * the browser holds for it, and only the {@code Origin} header tells. A servlet filter, mapped ahead
 * of the container's own upgrade filter, because the container's {@code checkOrigin} hook is not told
 * the request's host. Stateless.
 */
final class OriginFilter implements Filter {
    private final AllowedOrigins origins;

    OriginFilter(AllowedOrigins origins) {
        this.origins = origins;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String origin = http.getHeader("Origin");
        if (origins.allows(origin, http.getScheme(), host(http))) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse refusal = (HttpServletResponse) response;
        refusal.setStatus(HttpServletResponse.SC_FORBIDDEN);
        refusal.setContentType("text/plain; charset=utf-8");
        refusal.getOutputStream().write(("libchan: " + origins.refusal(origin) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String host(HttpServletRequest request) {
        String host = request.getHeader("Host");
        return host != null ? host : request.getServerName() + ":" + request.getServerPort();
    }
}
