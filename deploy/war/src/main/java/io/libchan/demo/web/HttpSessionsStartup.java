package io.libchan.demo.web;

import io.libchan.Listener;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.logging.Logger;

/**
 * Picks up the {@code LibchanEndpoint} that libchan-undertow's ServletExtension put in the servlet
 * context (web.xml turns it on with {@code io.libchan.undertow.path}) and has {@link HttpSessions}
 * serve it. A servlet listener because the endpoint exists once the servlet context does.
 */
@WebListener
public class HttpSessionsStartup implements ServletContextListener {
    /** {@code io.libchan.undertow.LibchanServletExtension.ATTRIBUTE}. */
    static final String ENDPOINT_ATTRIBUTE = "io.libchan.undertow.LibchanEndpoint";
    private static final Logger LOG = Logger.getLogger(HttpSessionsStartup.class.getName());

    @Inject
    HttpSessions sessions;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Object endpoint = event.getServletContext().getAttribute(ENDPOINT_ATTRIBUTE);
        if (endpoint instanceof Listener) {
            sessions.serve((Listener) endpoint);
        } else {
            LOG.warning("no libchan endpoint in the servlet context (is libchan-undertow in WEB-INF/lib, and "
                    + "io.libchan.undertow.path set in web.xml?): libchan over HTTP is off");
        }
    }
}
