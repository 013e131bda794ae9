package io.libchan.rest.internal;

import jakarta.enterprise.inject.spi.CDI;
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
 * Takes a seat ({@link WebSocketSeats}) for a WebSocket handshake before the container answers it:
 * none left, the handshake gets {@code 503} with {@code Retry-After} instead of a 101 (Jakarta
 * WebSocket cannot refuse a handshake by status, and a session closed right after its 101 looks
 * connected to its client until then). A handshake the container does not switch (101) gives its
 * seat back at once; a switched one holds it until its session ends. Mapped after
 * {@link OriginFilter}, so a foreign origin still gets its 403. Stateless but for the seats.
 */
final class WebSocketLimitFilter implements Filter {
    /** What a 503 asks the client to wait before it tries again. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final WebSocketSeats seats;

    WebSocketLimitFilter(WebSocketSeats seats) {
        this.seats = seats;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        String upgrade = ((HttpServletRequest) request).getHeader("Upgrade");
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse http = (HttpServletResponse) response;
        if (!seats.take()) {
            countRefused((HttpServletRequest) request);
            http.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            http.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            http.setContentType("text/plain; charset=utf-8");
            http.getOutputStream().write(("libchan: the server holds its maximum of " + seats.max()
                    + " WebSocket sessions (libchan.rest.websocket.max-sessions); try again later\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        boolean switched = false;
        HandshakeConfigurator.LISTENER.set(listener((HttpServletRequest) request));
        try {
            chain.doFilter(request, response);
            switched = http.getStatus() == HttpServletResponse.SC_SWITCHING_PROTOCOLS;
        } finally {
            HandshakeConfigurator.LISTENER.remove();
            if (!switched) {
                seats.release();
            }
        }
    }

    /**
     * {@code libchan.connections.refused}, reason {@code max_connections}, under the listener name its
     * sessions have ({@link #listener}), in the fallback's metrics.
     */
    private static void countRefused(HttpServletRequest request) {
        io.libchan.internal.observe.LibchanMetrics metrics;
        try {
            metrics = io.libchan.internal.observe.Telemetry.metrics(CDI.current().select(RestFallback.class).get().settings());
        } catch (RuntimeException e) {
            return; // no CDI container to ask (stopping): nothing to count into
        }
        if (metrics != null) {
            metrics.connectionRefused(request.isSecure() ? "wss" : "ws", listener(request), "max_connections");
        }
    }

    /**
     * What metrics name the listener by: {@code ws://} or {@code wss://} and the address the
     * connection came in on, as on the other doors. The local address, not the {@code Host} header: a
     * client could make a series of every value it sends.
     */
    static String listener(HttpServletRequest request) {
        return LibchanWebSocket.listener(request.isSecure(), localAuthority(request));
    }

    /** {@code addr:port} of the local end of the request's connection ({@code [addr]:port} for IPv6). */
    static String localAuthority(HttpServletRequest request) {
        String addr = request.getLocalAddr();
        String host = addr.indexOf(':') >= 0 ? "[" + addr + "]" : addr; // IPv6
        return host + ":" + request.getLocalPort();
    }
}
