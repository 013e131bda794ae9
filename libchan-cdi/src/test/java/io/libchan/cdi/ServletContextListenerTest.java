package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * In a web application a servlet extension (libchan-undertow's mount) leaves its {@link Listener} in
 * the servlet context as {@code io.libchan.server.<name>}; the application writes no code to serve
 * it: when the application scope is initialized with that servlet context (the event's payload in a
 * web application) it is served as the server {@code <name>}, configured by
 * {@code libchan.server.<name>.*} (or, where the server initializes the application scope before the
 * servlet context exists, as WildFly does, when the context starts, through the jar's
 * {@code ServletContainerInitializer}), and at shutdown, once its sessions are drained, libchan-core's
 * default threads they ran on are stopped.
 */
class ServletContextListenerTest {
    /** libchan-core's default executor's threads (its timer's end by themselves when idle). */
    private static final Pattern CORE_THREAD = Pattern.compile("libchan-\\d+");
    private TestContainer app;
    private final List<ServletContextListener> addedListeners = new CopyOnWriteArrayList<>();

    @ApplicationScoped
    static class Desk {
        @Inject
        ChannelCall call;

        @ChannelEndpoint("greet")
        String greet(Map<String, Object> message) {
            return "hello " + message.get("name") + " from " + call.source();
        }

        @ChannelEndpoint("other")
        String other() {
            return "other";
        }
    }

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aListenerInTheServletContextIsServedUnderItsNameWithoutApplicationCode() throws Exception {
        app = TestContainer.start(Map.of("libchan.server.mount.default-endpoint", "greet"), Desk.class);
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        attributes.put(ChannelServers.SERVLET_ATTRIBUTE_PREFIX + "mount", Libchan.listen("inmem:servlet-context-mount"));
        attributes.put("io.libchan.something-else", "not a listener");
        applicationScopeInitializedWith(servletContext(attributes));

        try (Transport client = Libchan.connect("inmem:servlet-context-mount")) {
            Pipe reply = Pipe.create();
            client.newSendChannel().send(Map.of("name", "ada", "ret", reply.sender())); // unnamed: the default endpoint
            assertEquals("hello ada from mount", reply.receiver().receive(String.class, Await.TIMEOUT));
        }
        assertTrue(app.select(ChannelServers.class).uri("mount").toString().startsWith("inmem:servlet-context-mount"));
    }

    /** WildFly initializes a WAR's application scope before its servlet context exists: the jar's initializer serves them then. */
    @Test
    void theServletContainerInitializerServesThemWhenTheContextStarts() throws Exception {
        app = TestContainer.start(Map.of(), Desk.class);
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        ServletContext context = servletContext(attributes);
        ServiceLoader.load(ServletContainerInitializer.class, getClass().getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).filter(i -> i.getClass().getName().startsWith("io.libchan.cdi."))
                .findFirst().orElseThrow().onStartup(Set.of(), context);
        // the servlet extension mounts its endpoint after the initializers ran, before the context starts
        attributes.put(ChannelServers.SERVLET_ATTRIBUTE_PREFIX + "mount", Libchan.listen("inmem:servlet-context-initializer"));
        ServletContextEvent started = new ServletContextEvent(context);
        addedListeners.forEach(l -> l.contextInitialized(started));
        applicationScopeInitializedWith(context); // a server that also passes the context to the event: served once

        try (Transport client = Libchan.connect("inmem:servlet-context-initializer")) {
            Pipe reply = Pipe.create();
            client.newSendChannel("greet").send(Map.of("name", "bob", "ret", reply.sender()));
            assertEquals("hello bob from mount", reply.receiver().receive(String.class, Await.TIMEOUT));
        }
    }

    @Test
    void shutdownStopsTheDefaultThreadsItsSessionsRanOnOnceTheyAreDrained() throws Exception {
        app = TestContainer.start(Map.of(), Desk.class);
        Listener listener = Libchan.listen("tcp://127.0.0.1:0"); // its sessions run on the default threads
        applicationScopeInitializedWith(servletContext(Map.of(ChannelServers.SERVLET_ATTRIBUTE_PREFIX + "mount", listener)));
        Transport client = Libchan.connect(listener.uri().toString());
        Pipe reply = Pipe.create();
        client.newSendChannel("other").send(Map.of("ret", reply.sender()));
        assertEquals("other", reply.receiver().receive(String.class, Await.TIMEOUT));
        // a session's work may go to the default threads at any time (pumps, queued async sends);
        // this reply went out on the calling thread, so give the pool a thread of its own
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = (java.util.concurrent.ExecutorService) io.libchan.internal.session.SessionThreads.executor();
        pool.execute(ran::countDown);
        ran.await();
        assertFalse(coreThreads().isEmpty(), "libchan-core's default threads run");

        app.close(); // drains the session (the client keeps it open), then stops those threads
        app = null;
        assertTrue(pool.isShutdown(), "libchan-core's default executor was stopped");
        for (Thread t : coreThreads()) {
            t.join(Await.TIMEOUT.toMillis());
        }
        assertEquals(List.of(), coreThreads().stream().map(Thread::getName).collect(Collectors.toList()));
        client.close();
    }

    private void applicationScopeInitializedWith(ServletContext context) {
        app.select(BeanManager.class).getEvent().select(Initialized.Literal.APPLICATION).fire(context);
    }

    /** A servlet context holding {@code attributes}, its listeners going to {@link #addedListeners}. */
    private ServletContext servletContext(Map<String, Object> attributes) {
        return (ServletContext) Proxy.newProxyInstance(ServletContext.class.getClassLoader(), new Class<?>[] {ServletContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAttributeNames" -> Collections.enumeration(attributes.keySet());
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "addListener" -> addedListeners.add((ServletContextListener) args[0]);
                    case "toString" -> "test servlet context";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static List<Thread> coreThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> CORE_THREAD.matcher(t.getName()).matches()).collect(Collectors.toList());
    }
}
