package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Transport;
import io.libchan.example.echo.EchoClientChecks;
import io.libchan.example.echo.OpenClientSession;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploying and undeploying the WAR. Undeploy while a client is mid-conversation (an echo channel
 * open, a byte stream being echoed, a watch of the pool's board) ends the client's session cleanly
 * (no {@link ConnectionLostException}: see {@link OpenClientSession#assertEndedCleanly()}) and
 * promptly, over the raw server and over WebSocket and the HTTP/2 tunnel (h2c) on WildFly's own
 * listener; a client holding a byte stream over ws or h2c ends too; no libchan thread outlives the WAR; the port is free for the next deployment; and a port that cannot be bound fails
 * the deployment with a message naming the configuration key.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DemoWarLifecycleIT {
    private static final String DEMO = "demo";
    /** Half libchan's default drain timeout: an undeploy this quick did not wait for a session to drain. */
    private static final Duration PROMPT = Duration.ofSeconds(5);

    @Deployment(name = DEMO, managed = false, testable = false)
    static WebArchive deployment() {
        return DemoWar.archive();
    }

    @ArquillianResource
    Deployer deployer;

    @ArquillianResource
    ManagementClient management;

    @Test
    void undeployEndsOpenClientSessionsCleanlyAndPromptly() throws Exception {
        deployer.deploy(DEMO);
        try (OpenClientSession raw = OpenClientSession.open(DemoWar.libchanUri());
             OpenClientSession ws = OpenClientSession.openWithoutByteStream(DemoWar.http("ws"));
             OpenClientSession h2c = OpenClientSession.openWithoutByteStream(DemoWar.http("h2c"))) {
            long start = System.nanoTime();
            deployer.undeploy(DEMO);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(PROMPT) < 0, "undeploy took " + took);
            raw.assertEndedCleanly();
            ws.assertEndedCleanly();
            h2c.assertEndedCleanly();
        }
        EchoClientChecks.noSessionIsServedAt(DemoWar.libchanUri());
    }

    /**
     * A client holding a byte stream half open (a server can only half-close one) over WebSocket or
     * the HTTP/2 tunnel: the client's session ends once the WAR is undeployed (issue 16: the h2c
     * client stayed connected for ever).
     */
    @Test
    void undeployEndsHttpSessionsHoldingAByteStream() throws Exception {
        deployer.deploy(DEMO);
        try (OpenClientSession ws = OpenClientSession.open(DemoWar.http("ws"));
             OpenClientSession h2c = OpenClientSession.open(DemoWar.http("h2c"))) {
            deployer.undeploy(DEMO);
            ws.assertEnded(Duration.ofSeconds(60));
            h2c.assertEnded(Duration.ofSeconds(60));
        }
    }

    @Test
    void undeployLeavesNoLibchanThreadBehind() throws Exception {
        deployer.deploy(DEMO);
        try (Transport session = Libchan.connect(DemoWar.libchanUri()); Transport ws = Libchan.connect(DemoWar.http("ws"))) {
            EchoClientChecks.replyComesBackOnTheNestedReplyChannel(session);
            EchoClientChecks.replyComesBackOnTheNestedReplyChannel(ws); // starts libchan-core's own timer and pool
        }
        deployer.undeploy(DEMO);
        try (JMXConnector jmx = JMXConnectorFactory.connect(management.getRemoteJMXURL())) {
            ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(jmx.getMBeanServerConnection(),
                    ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
            // sessions still draining keep libchan-core's timer until they end (drainTimeout=2s here)
            try {
                // the server's threads give no event when they end: wait for the condition
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> libchanThreads(threads).isEmpty());
            } catch (ConditionTimeoutException e) {
                fail("libchan threads still running 10 s after undeploy: " + libchanThreads(threads) + stacks(threads));
            }
        }
    }

    /**
     * Five deploy/undeploy cycles, each carrying traffic on the raw server, WebSocket and h2c, do not
     * leave a class loader of the WAR behind per cycle once the server has collected garbage (issue
     * 16: the bundled msgpack left a thread-local on WildFly's EE threads, and each session's
     * cancelled keep-alive stayed queued in the managed scheduler for a keep-alive interval, 30 s:
     * the wait here is shorter). Besides the deployed copy, at most one old copy may stay: an idle
     * Undertow worker thread keeps the last exchange it ran in a local variable until it runs the
     * next (seen in a heap dump: {@code EnhancedQueueExecutor.runThreadBody} of "default task-N"),
     * which is WildFly's and ends with that thread's next request.
     */
    @Test
    void redeploysWithTrafficLeaveNoClassLoaderOfTheWarPerCycle() throws Exception {
        for (int cycle = 0; cycle < 5; cycle++) {
            deployer.deploy(DEMO);
            try {
                talkOnEveryDoor();
            } finally {
                deployer.undeploy(DEMO);
            }
        }
        deployer.deploy(DEMO);
        try {
            talkOnEveryDoor();
            try (JMXConnector jmx = JMXConnectorFactory.connect(management.getRemoteJMXURL())) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                // undeployed sessions drain (drainTimeout=2s here) before their loader can go
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                            .until(() -> warClassLoaders(server) <= 2);
                } catch (ConditionTimeoutException e) {
                    fail(warClassLoaders(server) + " class loaders of " + DemoWar.NAME + " after 5 redeploys and 20 s"
                            + " of collections, expected the deployed one and at most one other");
                }
            }
        } finally {
            deployer.undeploy(DEMO);
        }
    }

    private static void talkOnEveryDoor() {
        for (String uri : List.of(DemoWar.libchanUri(), DemoWar.http("ws"), DemoWar.http("h2c"))) {
            try (Transport session = Libchan.connect(uri)) {
                EchoClientChecks.replyComesBackOnTheNestedReplyChannel(session);
            }
        }
    }

    /** Live class loaders named after the WAR in the server, after a full collection there ({@code jcmd GC.run; VM.classloaders}). */
    private static long warClassLoaders(MBeanServerConnection server) throws Exception {
        ObjectName commands = new ObjectName("com.sun.management:type=DiagnosticCommand");
        server.invoke(commands, "gcRun", new Object[0], new String[0]);
        String tree = (String) server.invoke(commands, "vmClassloaders", new Object[] {new String[0]},
                new String[] {String[].class.getName()});
        return tree.lines().filter(line -> line.contains("\"deployment." + DemoWar.NAME + "\"")).count();
    }

    @Test
    void redeployListensOnTheSamePortAgain() {
        deployer.deploy(DEMO);
        try (Transport session = Libchan.connect(DemoWar.libchanUri())) {
            EchoClientChecks.replyComesBackOnTheNestedReplyChannel(session);
        } finally {
            deployer.undeploy(DEMO);
        }
    }

    @Test
    void deploymentFailsNamingTheConfigKeyWhenTheLibchanPortIsTaken() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", DemoWar.libchanPort()));
            Exception e = assertThrows(Exception.class, () -> deployer.deploy(DEMO));
            assertTrue(String.valueOf(e.getMessage()).contains("libchan.server.raw.listen"), e::toString);
        }
    }

    /** Threads named by libchan-core ({@code libchan-N}, {@code libchan-timer}) in the server. */
    /** What the server's libchan threads are doing, for a failure's message. */
    private static String stacks(ThreadMXBean threads) {
        StringBuilder out = new StringBuilder();
        for (ThreadInfo t : threads.dumpAllThreads(false, false)) {
            if (t.getThreadName().startsWith("libchan-")) {
                out.append("\n\"").append(t.getThreadName()).append("\" ").append(t.getThreadState());
                StackTraceElement[] trace = t.getStackTrace();
                for (int i = 0; i < Math.min(trace.length, 15); i++) {
                    out.append("\n    at ").append(trace[i]);
                }
            }
        }
        return out.toString();
    }

    private static List<String> libchanThreads(ThreadMXBean threads) {
        return Stream.of(threads.dumpAllThreads(false, false)).map(ThreadInfo::getThreadName)
                .filter(name -> name.startsWith("libchan-")).collect(Collectors.toList());
    }
}
