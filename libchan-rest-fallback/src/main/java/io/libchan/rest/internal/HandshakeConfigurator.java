package io.libchan.rest.internal;

import io.libchan.rest.LibchanRest;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Set;

/**
 * The handshake of the libchan WebSocket: offers {@value LibchanRest#JSON_SUBPROTOCOL} and
 * {@value LibchanRest#SPDY_SUBPROTOCOL}, and, while the HTTP request is still there, asks it which of
 * the roles the endpoints' {@code @RolesAllowed} name the user holds; the answer travels to
 * {@link LibchanWebSocket#onOpen} in the per-connection user properties (Jakarta WebSocket 2.1 gives
 * {@code modifyHandshake} a per-connection copy of the configuration; Undertow, and so WildFly, does).
 * A connection whose roles are missing there holds none.
 */
final class HandshakeConfigurator extends ServerEndpointConfig.Configurator {
    private static final String ROLES = HandshakeConfigurator.class.getName() + ".roles";
    private static final String ONLY_OTHERS = HandshakeConfigurator.class.getName() + ".onlyOtherSubprotocols";
    private static final String LISTENER_NAME = HandshakeConfigurator.class.getName() + ".listener";
    /**
     * The listener name {@link WebSocketLimitFilter} found for the handshake on this thread, from the
     * servlet request, which Jakarta WebSocket's {@link HandshakeRequest} does not give: Undertow (so
     * WildFly) runs {@link #modifyHandshake} inside the filter chain, on the filter's thread.
     */
    static final ThreadLocal<String> LISTENER = new ThreadLocal<>();

    private final WebSocketSeats seats;

    private HandshakeConfigurator(WebSocketSeats seats) {
        this.seats = seats;
    }

    /** @param seats held by the sessions of this endpoint, each given back when its session ends */
    static ServerEndpointConfig endpoint(String path, WebSocketSeats seats) {
        return ServerEndpointConfig.Builder.create(LibchanWebSocket.class, path)
                .subprotocols(List.of(LibchanRest.JSON_SUBPROTOCOL, LibchanRest.SPDY_SUBPROTOCOL))
                .configurator(new HandshakeConfigurator(seats))
                .build();
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        RestFallback fallback = CDI.current().select(RestFallback.class).get();
        config.getUserProperties().put(ROLES, fallback.peerRoles(request::isUserInRole));
        config.getUserProperties().put(ONLY_OTHERS, offersOnlyOthers(request));
        String listener = LISTENER.get();
        if (listener != null) {
            config.getUserProperties().put(LISTENER_NAME, listener);
        }
    }

    /** Subprotocols offered, none of them ours (offering none is Go's way: SPDY/3). */
    private static boolean offersOnlyOthers(HandshakeRequest request) {
        List<String> offered = new java.util.ArrayList<>();
        for (String header : request.getHeaders().getOrDefault(HandshakeRequest.SEC_WEBSOCKET_PROTOCOL, List.of())) {
            for (String token : header.split(",")) {
                if (!token.isBlank()) {
                    offered.add(token.trim());
                }
            }
        }
        return !offered.isEmpty() && !offered.contains(LibchanRest.JSON_SUBPROTOCOL)
                && !offered.contains(LibchanRest.SPDY_SUBPROTOCOL);
    }

    /** The client offered only subprotocols we do not speak: {@link LibchanWebSocket} refuses it. */
    static boolean offeredOnlyOthers(EndpointConfig config) {
        return Boolean.TRUE.equals(config.getUserProperties().get(ONLY_OTHERS));
    }

    /** The listener name of the connection ({@code ws://127.0.0.1:8080}), or null when the filter did not see its handshake. */
    static String listener(EndpointConfig config) {
        Object listener = config.getUserProperties().get(LISTENER_NAME);
        return listener instanceof String ? (String) listener : null;
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new LibchanWebSocket(seats));
    }

    @SuppressWarnings("unchecked")
    static Set<String> roles(EndpointConfig config) {
        Object roles = config.getUserProperties().get(ROLES);
        return roles instanceof Set ? (Set<String>) roles : Set.of();
    }
}
