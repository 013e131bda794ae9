package io.libchan.cdi.internal;

import io.libchan.Listener;
import io.libchan.cdi.ChannelServers;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link Listener}s a servlet extension left in a web application's servlet context for this
 * module to serve: each attribute named {@value ChannelServers#SERVLET_ATTRIBUTE_PREFIX}{@code <name>},
 * by {@code <name>}. The servlet context is the payload of {@code @Initialized(ApplicationScoped.class)}
 * in a web application (CDI 4.0, 6.7.3); outside one (Weld SE) there is no servlet API, which is only
 * loaded once it is known to be there. Stateless.
 */
final class ServletContextListeners {
    private static final String SERVLET_CONTEXT = "jakarta.servlet.ServletContext";

    private ServletContextListeners() {
    }

    /** The listeners by server name when {@code payload} is a servlet context holding any; empty otherwise. */
    static Map<String, Listener> in(Object payload) {
        if (payload == null || !isServletContext(payload)) {
            return Map.of();
        }
        return Servlet.listeners(payload);
    }

    private static boolean isServletContext(Object payload) {
        try {
            return Class.forName(SERVLET_CONTEXT, false, ServletContextListeners.class.getClassLoader()).isInstance(payload);
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // no servlet API here: not a web application
        }
    }

    /** Apart, so that the servlet API is only loaded when it is there. */
    private static final class Servlet {
        static Map<String, Listener> listeners(Object payload) {
            jakarta.servlet.ServletContext context = (jakarta.servlet.ServletContext) payload;
            Map<String, Listener> found = new TreeMap<>();
            for (String attribute : Collections.list(context.getAttributeNames())) {
                String name = attribute.substring(Math.min(attribute.length(), ChannelServers.SERVLET_ATTRIBUTE_PREFIX.length()));
                if (attribute.startsWith(ChannelServers.SERVLET_ATTRIBUTE_PREFIX) && !name.isEmpty()
                        && context.getAttribute(attribute) instanceof Listener listener) {
                    found.put(name, listener);
                }
            }
            return found;
        }
    }
}
