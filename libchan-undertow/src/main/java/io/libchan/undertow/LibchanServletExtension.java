package io.libchan.undertow;

import io.libchan.Settings;
import io.libchan.undertow.internal.Uris;
import io.libchan.undertow.internal.servlet.MountConfig;
import io.libchan.undertow.internal.servlet.ServletRoleCheck;
import io.undertow.server.handlers.PathHandler;
import io.undertow.servlet.ServletExtension;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.ListenerInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Serves libchan inside a servlet deployment on Undertow, e.g. a WAR on WildFly, on the server's
 * own listeners (HTTP/1.1, h2c, h2, WebSocket). Opt-in: a deployment that sets the mount path, with
 * the MicroProfile Config key {@value #PATH_KEY} (e.g. {@code libchan.mount.path=/libchan} in
 * {@code META-INF/microprofile-config.properties}) or the {@code web.xml} context parameter
 * {@value #PATH} (which wins), gets a {@link LibchanEndpoint} mounted at that path below its
 * context root, behind the deployment's security constraints (its {@code <security-constraint>}s,
 * role constraints and login methods apply to it as to a servlet), and stored in the servlet
 * context attribute {@value #ATTRIBUTE}. With libchan-cdi in the deployment nothing more is needed:
 * libchan-cdi serves that attribute's listener as the server {@code mount} with the application's
 * {@code @ChannelEndpoint}s ({@code libchan.server.mount.default-endpoint},
 * {@code libchan.server.mount.drain-timeout}) and, once its sessions are drained at undeploy, stops
 * the libchan-core threads they ran on; without it, the application {@code accept()}s sessions from
 * the attribute's endpoint itself. Other context parameters named {@code io.libchan.<setting>} (e.g.
 * {@code io.libchan.maxMessageBytes}) set the endpoint's {@link Settings}. When the deployment
 * stops, the endpoint refuses new sessions, and the sessions still open after the drain timeout
 * ({@code io.libchan.drainTimeout}, 10 s by default) are shut down
 * ({@link LibchanEndpoint#shutdown(java.time.Duration)}): GOAWAY, another drain timeout, the end.
 *
 * <p>The largest message (a session's, a call's body: over it a call gets 413) is the MicroProfile
 * Config key {@value #MAX_MESSAGE_BYTES_KEY}, else libchan-rest-fallback's
 * {@code libchan.rest.max-message-bytes}, so that one key limits every door of the application;
 * the context parameter {@code io.libchan.maxMessageBytes} wins over both; 16 MiB by default.
 * A chunked call body is held to that limit alone (a lower one of the container's, WildFly's
 * {@code max-post-size}, is raised for the call); a {@code Content-Length} over the container's limit
 * is refused by the container before the mount sees the request (PROTOCOL.md 13.7).
 *
 * <p>Browsers' requests are taken from the deployment's own origin only, unless the MicroProfile
 * Config key {@value #ALLOWED_ORIGINS_KEY} (or the context parameter {@value #ALLOWED_ORIGINS_PARAM},
 * which wins) lists more, comma-separated, or says {@code *}: see
 * {@link LibchanEndpoint.Builder#allowedOrigins}. A bad value fails the deployment, naming the key.
 *
 * <p>Found by Undertow through {@code META-INF/services/io.undertow.servlet.ServletExtension}. On
 * WildFly the jar's manifest adds the module {@code org.jboss.xnio} (whose channels it uses) to the
 * deployment ({@code Dependencies:}), so no {@code jboss-deployment-structure.xml} is needed for it.
 */
public final class LibchanServletExtension implements ServletExtension {
    /** The context parameter that turns the extension on and names the mount path. */
    public static final String PATH = MountConfig.PATH_PARAM;
    /** The MicroProfile Config key of the same, for when the context parameter is not set. */
    public static final String PATH_KEY = MountConfig.PATH_KEY;
    /**
     * The servlet context attribute holding the {@link LibchanEndpoint}: libchan-cdi serves a listener
     * under {@code io.libchan.server.<name>} as the server {@code <name>}, here {@code mount}.
     */
    public static final String ATTRIBUTE = "io.libchan.server.mount";
    /** The MicroProfile Config key of the origins allowed besides the deployment's own. */
    public static final String ALLOWED_ORIGINS_KEY = MountConfig.ALLOWED_ORIGINS_KEY;
    /** The context parameter of the same, which wins over the MicroProfile Config key. */
    public static final String ALLOWED_ORIGINS_PARAM = MountConfig.ALLOWED_ORIGINS_PARAM;
    /** The MicroProfile Config key of the largest message the mount takes. */
    public static final String MAX_MESSAGE_BYTES_KEY = MountConfig.MAX_MESSAGE_BYTES_KEY;
    private static final String SETTING_PREFIX = "io.libchan.";

    @Override
    public void handleDeployment(DeploymentInfo deployment, ServletContext context) {
        Map<String, String> params = deployment.getInitParameters();
        Optional<String> path = MountConfig.path(params, deployment.getClassLoader());
        if (path.isEmpty()) {
            return;
        }
        String prefix = Uris.normalizePrefix(path.get());
        Settings settings = settings(params);
        java.util.OptionalInt limit = MountConfig.maxMessageBytes(params, deployment.getClassLoader());
        if (limit.isPresent()) {
            settings = settings.toBuilder().maxMessageBytes(limit.getAsInt()).build();
        }
        LibchanEndpoint endpoint = LibchanEndpoint.builder()
                .settings(settings)
                .allowedOrigins(MountConfig.allowedOrigins(params, deployment.getClassLoader()))
                .uri(URI.create(deployment.getContextPath() + prefix))
                .build();
        context.setAttribute(ATTRIBUTE, endpoint);
        deployment.addInnerHandlerChainWrapper(next -> new PathHandler(next).addPrefixPath(prefix, new ServletRoleCheck(endpoint.handler())));
        deployment.addListener(new ListenerInfo(ServletContextListener.class,
                new ImmediateInstanceFactory<ServletContextListener>(new ServletContextListener() {
                    @Override
                    public void contextDestroyed(ServletContextEvent event) {
                        // an HTTP/2 tunnel lives on the container's connection: nothing else ends it.
                        // The application (libchan-cdi) may still drain its sessions after this
                        // listener ran: they get the drain timeout to end that way first
                        endpoint.shutdown(endpoint.settings().drainTimeout());
                    }
                })));
    }

    /** Settings from the {@code io.libchan.*} context parameters; a bad one fails the deployment, naming it. */
    static Settings settings(Map<String, String> params) {
        Settings.Builder b = Settings.defaults().toBuilder();
        params.forEach((name, value) -> {
            if (name.startsWith(SETTING_PREFIX) && !name.startsWith(SETTING_PREFIX + "undertow.")) {
                b.set(name.substring(SETTING_PREFIX.length()), value);
            }
        });
        return b.build();
    }
}
