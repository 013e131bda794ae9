package io.libchan.rest.internal;

import io.libchan.rest.LibchanRest;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import java.lang.System.Logger.Level;

/**
 * Adds the libchan WebSocket endpoint to a web application's WebSocket container, at
 * {@value LibchanRest#WEBSOCKET_PATH} or else {@code <@ApplicationPath>/libchan/ws}; see
 * {@link io.libchan.rest.LibchanWebSocketInstaller}.
 */
public final class WebSocketInstallation {
    private static final System.Logger LOG = System.getLogger(WebSocketInstallation.class.getName());

    private WebSocketInstallation() {
    }

    /**
     * @param applications the application's {@code jakarta.ws.rs.core.Application} classes
     * @return the path the endpoint was added at, if it was
     * @throws IllegalStateException when the container refuses the endpoint, or a key is bad
     */
    public static Optional<String> install(Set<Class<?>> applications, ServletContext context) {
        ClassLoader loader = context.getClassLoader() != null ? context.getClassLoader() : WebSocketInstallation.class.getClassLoader();
        Config config = ConfigProvider.getConfig(loader);
        RestConfig rest = RestConfig.read(config);
        if (!rest.enabled() || !rest.webSocketEnabled()) {
            return Optional.empty();
        }
        Optional<String> path = rest.webSocketPath().or(() -> RestPaths.defaultWebSocketPath(applications));
        if (path.isEmpty()) {
            LOG.log(Level.WARNING, () -> "libchan-rest: no WebSocket endpoint in " + context.getContextPath()
                    + ": the application has no single @ApplicationPath to put it under; set " + LibchanRest.WEBSOCKET_PATH);
            return Optional.empty();
        }
        Object container = context.getAttribute(ServerContainer.class.getName());
        if (!(container instanceof ServerContainer)) {
            LOG.log(Level.WARNING, () -> "libchan-rest: no WebSocket endpoint in " + context.getContextPath()
                    + ": the servlet container offers no jakarta.websocket ServerContainer");
            return Optional.empty();
        }
        // ahead of every other filter (isMatchAfter false), so ahead of the container's upgrade filter
        context.addFilter("libchan-websocket-origin", new OriginFilter(rest.allowedOrigins()))
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), false, path.get());
        // after the origin's (added later, same place): a seat before the container answers 101
        WebSocketSeats seats = new WebSocketSeats(rest.webSocketMaxSessions());
        context.addFilter("libchan-websocket-limit", new WebSocketLimitFilter(seats))
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), false, path.get());
        try {
            ((ServerContainer) container).addEndpoint(HandshakeConfigurator.endpoint(path.get(), seats));
        } catch (DeploymentException e) {
            throw new IllegalStateException("libchan-rest: cannot add the WebSocket endpoint at " + path.get() + ": " + e.getMessage(), e);
        }
        LOG.log(Level.INFO, () -> "libchan-rest: WebSocket (libchan.json, libchan.spdy3) at " + context.getContextPath() + path.get()
                + ", origins allowed: " + rest.allowedOrigins());
        return path;
    }
}
