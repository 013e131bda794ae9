package io.libchan.rest.internal;

import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.cdi.ChannelServers;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.rest.LibchanRest;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import java.lang.System.Logger.Level;

/**
 * The module's state for one application: its configuration ({@link LibchanRest}), which endpoints
 * are exposed, its threads, and the hand-over of every accepted session (a call, a WebSocket) to
 * libchan-cdi's {@link ChannelServers}. Created when the application starts, so a bad configuration
 * fails the start naming the key. Thread-safe; immutable once initialised.
 */
@ApplicationScoped
public class RestFallback {
    private static final System.Logger LOG = System.getLogger(RestFallback.class.getName());

    @Inject
    ChannelServers servers;

    private RestConfig config;
    private Set<String> exposed;
    private Optional<String> defaultEndpoint;
    private Set<String> roles;
    private ExecutorService threads;
    private Settings settings;
    private JsonCodec codec;

    @PostConstruct
    void init() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        config = RestConfig.read(ConfigProvider.getConfig(loader != null ? loader : RestFallback.class.getClassLoader()));
        Set<String> known = servers.endpoints();
        exposed = config.endpoints().map(TreeSet::new).orElseGet(() -> new TreeSet<>(known));
        Set<String> unknown = new TreeSet<>(exposed);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(LibchanRest.ENDPOINTS + ": no @ChannelEndpoint named " + unknown
                    + " in this application (its endpoints: " + known + ")");
        }
        defaultEndpoint = config.defaultEndpoint().or(() -> exposed.size() == 1 ? Optional.of(exposed.iterator().next()) : Optional.empty());
        if (defaultEndpoint.isPresent() && !exposed.contains(defaultEndpoint.get())) {
            throw new IllegalArgumentException(LibchanRest.DEFAULT_ENDPOINT + ": '" + defaultEndpoint.get()
                    + "' is not an exposed endpoint " + exposed);
        }
        roles = servers.roles();
        threads = FallbackThreads.create();
        settings = config.settings().toBuilder().executor(threads).build();
        codec = new JsonCodec(settings);
        if (config.enabled()) {
            LOG.log(Level.INFO, () -> "libchan-rest: exposing endpoints " + exposed + defaultEndpoint.map(d -> ", unnamed calls go to " + d).orElse(""));
        }
    }

    /** Creates the bean, and so checks the configuration, when the application starts. */
    void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // nothing else: init() did the work
    }

    @PreDestroy
    void stop() {
        threads.shutdownNow();
    }

    boolean enabled() {
        return config.enabled();
    }

    RestConfig config() {
        return config;
    }

    Settings settings() {
        return settings;
    }

    JsonCodec codec() {
        return codec;
    }

    ExecutorService threads() {
        return threads;
    }

    Duration callTimeout() {
        return config.callTimeout();
    }

    /** Of the roles the endpoints' {@code @RolesAllowed} name, those {@code inRole} says the peer holds. */
    Set<String> peerRoles(Predicate<String> inRole) {
        return roles.stream().filter(inRole).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Hands {@code session} to the application's endpoints.
     *
     * @throws IllegalStateException when the application is shutting down (the session is closed)
     */
    void serve(Transport session, URI uri, Set<String> peerRoles) {
        servers.serve(session, new ChannelServers.Route(LibchanRest.SOURCE, uri, exposed, defaultEndpoint, peerRoles,
                Optional.of(LibchanRest.DEFAULT_ENDPOINT)));
    }

    /** For logs: who is calling. */
    static String describe(Principal principal) {
        return principal == null ? "anonymous" : principal.getName();
    }
}
