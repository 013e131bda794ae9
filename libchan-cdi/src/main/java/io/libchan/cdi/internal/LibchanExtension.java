package io.libchan.cdi.internal;

import io.libchan.Libchan;
import io.libchan.cdi.ChannelEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The portable extension behind {@link io.libchan.cdi.Channel} and {@link ChannelEndpoint},
 * registered in {@code META-INF/services}; add it yourself only when discovery is off (Weld SE
 * {@code disableDiscovery()}).
 *
 * <p>While the container scans it collects {@code @Channel} injection points and
 * {@code @ChannelEndpoint} methods, and adds the synthetic beans. At
 * {@code AfterDeploymentValidation} it checks them all against MicroProfile Config (read through
 * the deployment's context class loader) and fails deployment with one
 * {@link jakarta.enterprise.inject.spi.DeploymentException} naming every bad key, then binds the
 * servers. When the application scope is initialized it starts serving, also the listeners a servlet
 * extension left in the servlet context ({@link io.libchan.cdi.ChannelServers#SERVLET_ATTRIBUTE_PREFIX});
 * before it is destroyed it shuts everything down gracefully. One instance per container; thread-safe.
 */
public class LibchanExtension implements Extension {
    private static final Duration DEFAULT_THREADS_STOP = Duration.ofSeconds(5);
    private final ChannelRequests requests = new ChannelRequests();
    private final ConcurrentLinkedQueue<FoundEndpoint> endpoints = new ConcurrentLinkedQueue<>();
    private volatile Config config;
    private volatile LibchanRuntime runtime;
    /** Set once a listener of the servlet context is served: its sessions run on libchan-core's default threads. */
    private volatile boolean servesServletListeners;
    private final Set<io.libchan.Listener> servedServletListeners = java.util.Collections.newSetFromMap(
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>()));

    void readConfig(@Observes BeforeBeanDiscovery event) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        config = ConfigProvider.getConfig(loader != null ? loader : LibchanExtension.class.getClassLoader());
    }

    void collectInjectionPoint(@Observes ProcessInjectionPoint<?, ?> event) {
        requests.collect(event.getInjectionPoint());
    }

    <T> void collectEndpoints(@Observes ProcessManagedBean<T> event) {
        for (AnnotatedMethod<? super T> method : event.getAnnotatedBeanClass().getMethods()) {
            ChannelEndpoint annotation = method.getAnnotation(ChannelEndpoint.class);
            if (annotation != null) {
                endpoints.add(new FoundEndpoint(event.getBean(), method.getJavaMember(), annotation));
            }
        }
    }

    void addBeans(@Observes AfterBeanDiscovery event) {
        Set<String> names = new TreeSet<>();
        requests.all().forEach(r -> names.add(r.name()));
        names.addAll(new ConfigReader(config, new DeploymentProblems(), Set.of()).configuredChannels());
        ChannelBeans.register(event, names, this::runtime);
        ChannelCallBean.register(event);
        ChannelServersBean.register(event, () -> runtime().external());
    }

    void validate(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        DeploymentValidator validator = new DeploymentValidator(config, TransportSchemes.known(),
                problems -> Authenticators.present(beanManager, problems) || Authenticators.tokens(beanManager),
                Authenticators.identityStores(beanManager));
        Optional<DeploymentPlan> plan = validator.validate(requests.all(), List.copyOf(endpoints));
        if (plan.isEmpty()) {
            event.addDeploymentProblem(validator.problems().toException());
            return;
        }
        LibchanRuntime created = new LibchanRuntime(plan.get(), beanManager);
        Map<String, String> bindProblems = created.bind();
        if (!bindProblems.isEmpty()) {
            created.close();
            DeploymentProblems problems = new DeploymentProblems();
            bindProblems.forEach(problems::add);
            event.addDeploymentProblem(problems.toException());
            return;
        }
        runtime = created;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        LibchanRuntime r = runtime;
        if (r != null) {
            r.start();
            serveServletListeners(event);
        }
    }

    /**
     * Serves the listeners a servlet extension left in {@code servletContext}, each once, however
     * often this is called (from the event above and from {@link ServletListenersInitializer}).
     */
    void serveServletListeners(Object servletContext) {
        LibchanRuntime r = runtime;
        if (r == null) {
            return;
        }
        ServletContextListeners.in(servletContext).forEach((name, listener) -> {
            if (servedServletListeners.add(listener)) {
                r.external().serve(name, listener);
                servesServletListeners = true;
            }
        });
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        LibchanRuntime r = runtime;
        if (r != null) {
            r.close();
            if (servesServletListeners) {
                servesServletListeners = false;
                // those sessions ran on the default threads of the libchan-core bundled with the
                // application; stopped only now that they are drained, so none outlives it
                Libchan.shutdownDefaultThreads(DEFAULT_THREADS_STOP);
            }
        }
    }

    void stopLate(@Observes BeforeShutdown event) {
        stop(event);
    }

    /** The health of every server; empty before the deployment was validated and after it stopped. */
    java.util.List<ServerHealth> health() {
        LibchanRuntime r = runtime;
        return r == null ? java.util.List.of() : r.health();
    }

    private LibchanRuntime runtime() {
        LibchanRuntime r = runtime;
        if (r == null) {
            throw new IllegalStateException(UserMessages.notRunning());
        }
        return r;
    }
}
