package io.libchan.cdi.internal;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * In a web application, hands the {@link io.libchan.Listener}s a servlet extension left in the servlet
 * context ({@link io.libchan.cdi.ChannelServers#SERVLET_ATTRIBUTE_PREFIX}) to this module's extension
 * when the context starts. Needed besides the {@code @Initialized(ApplicationScoped.class)} event
 * because not every server passes the servlet context there: WildFly initializes a WAR's application
 * scope before its servlet context exists. A {@link ServletContainerInitializer} found through
 * {@code META-INF/services}, as servlet containers find those of the jars in {@code WEB-INF/lib};
 * never loaded outside a servlet container.
 */
public final class ServletListenersInitializer implements ServletContainerInitializer {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                serve(event.getServletContext());
            }
        });
    }

    private static void serve(ServletContext context) {
        if (ServletContextListeners.in(context).isEmpty()) {
            return;
        }
        LibchanExtension extension;
        try {
            extension = CDI.current().getBeanManager().getExtension(LibchanExtension.class);
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, () -> UserMessages.servletListenersWithoutCdi(ServletContextListeners.in(context).keySet()));
            return;
        }
        extension.serveServletListeners(context);
    }
}
