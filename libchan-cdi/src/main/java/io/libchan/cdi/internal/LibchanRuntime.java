package io.libchan.cdi.internal;

import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running part of the extension for one application: endpoints, in-app pipes, client sessions
 * and servers built from a {@link DeploymentPlan}. Lifecycle: {@link #bind()} at deployment,
 * {@link #start()} when the application is up, {@link #close()} when it goes down (graceful:
 * stop accepting, drain, close sessions, each within its {@code drain-timeout}). Thread-safe.
 */
final class LibchanRuntime {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");
    /** Extra time, beyond the drain timeouts, for sessions to finish closing. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final DeploymentPlan plan;
    private final LibchanExecutors executors;
    private final Endpoints endpoints;
    private final Map<String, InAppChannel> pipes = new TreeMap<>();
    private final Map<String, ClientSession> clients = new TreeMap<>();
    private final Map<String, Sender> senders = new TreeMap<>();
    private final Map<String, Transport> transports = new TreeMap<>();
    private final ChannelServerRegistry servers;
    private final ExternalSessions external;
    /** The deployment's gateway, shared by its servers; empty without targets. */
    private final Optional<io.libchan.gateway.Gateway> gateway;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final EndpointTracer tracer;
    /** The application's OpenTelemetry bean this runtime made the sessions' default at start; null: none. */
    private volatile io.opentelemetry.api.OpenTelemetry sessionsDefault;
    private final BeanManager beanManager;
    /** libchan's meters in the application's Micrometer registry, from start to close; null: none. */
    private volatile AutoCloseable meters;

    LibchanRuntime(DeploymentPlan plan, BeanManager beanManager) {
        this.plan = plan;
        this.beanManager = beanManager;
        this.executors = LibchanExecutors.create(plan.threads());
        RequestScopes scopes = new RequestScopes(beanManager);
        SessionEvents events = new SessionEvents(beanManager, scopes);
        Map<String, EndpointDispatcher> dispatchers = new TreeMap<>();
        this.tracer = new EndpointTracer(beanManager);
        executors.telemetryFrom(tracer::application);
        plan.endpoints().forEach((name, method) -> dispatchers.put(name, new EndpointDispatcher(name, plan.limits().get(name),
                new TracedEndpoint(name, new EndpointInvoker(method, beanManager, scopes), tracer), executors)));
        this.endpoints = new Endpoints(dispatchers);
        java.util.SortedSet<String> roles = new java.util.TreeSet<>();
        plan.endpoints().values().forEach(m -> roles.addAll(m.access().roles()));
        plan.gateway().targets().values().forEach(t -> roles.addAll(t.roles()));
        PeerCheck peers = new PeerCheck(() -> Authenticators.lookUp(beanManager));
        this.gateway = plan.gateway().build(executors.managedThreadFactory());
        Map<String, EndpointAccess> access = new TreeMap<>();
        plan.endpoints().forEach((name, method) -> access.put(name, method.access()));
        this.servers = new ChannelServerRegistry(plan.servers().values(),
                s -> new ChannelServer(s, endpoints, plan.defaultEndpoint(s), executors, events, peers,
                        new LibchanChannels(gateway, GatewayAccess.of(plan.gateway(), s), access, executors.tasks())));
        this.external = new ExternalSessions(endpoints, roles, executors, events, servers,
                new LibchanChannels(gateway, GatewayAccess.unlisted(plan.gateway()), access, executors.tasks()));
        for (ChannelConfig c : plan.channels().values()) {
            if (c.inApp()) {
                InAppChannel pipe = pipes.computeIfAbsent(c.pipeName(), n -> new InAppChannel(c.buffer()));
                senders.put(c.name(), pipe.sender(c.name()));
            } else {
                ClientSession client = new ClientSession(c, endpoints, executors, events,
                        plan.injectedTransports().contains(c.name()));
                clients.put(c.name(), client);
                senders.put(c.name(), new ReconnectingSender(client));
                transports.put(c.name(), new SessionTransport(client));
            }
        }
    }

    /** Starts listening; returns a problem per server that could not, by its {@code listen} key. */
    Map<String, String> bind() {
        Map<String, String> problems = new TreeMap<>();
        for (ChannelServer server : servers.all()) {
            try {
                server.bind();
            } catch (RuntimeException e) {
                problems.put(ConfigKeys.server(server.name(), ConfigKeys.LISTEN), UserMessages.cannotListen(e));
            }
        }
        return problems;
    }

    /** Starts accepting, serving in-app channels and connecting {@code connect=startup} channels. Idempotent. */
    void start() {
        if (!started.compareAndSet(false, true) || closed.get()) {
            return;
        }
        // sessions whose settings name no OpenTelemetry (libchan-undertow's mount, the JAX-RS
        // fallback: made before CDI ran) count into the application's bean, as its servers' do
        sessionsDefault = tracer.application();
        if (sessionsDefault != null) {
            io.libchan.internal.observe.Telemetry.useApplications(sessionsDefault);
        }
        // before any session starts: the sessions count for the registry from the first one
        meters = MeterRegistries.attach(beanManager);
        servers.start().forEach(name -> LOG.log(Level.INFO, () -> UserMessages.waitsForListener(name)));
        for (ChannelConfig c : plan.channels().values()) {
            Optional<EndpointDispatcher> endpoint = endpoints.named(c.name());
            if (c.inApp() && endpoint.isPresent()) {
                CallInfo call = new CallInfo(c.name(), Optional.of(c.name()), c.name(), c.uri(), Optional.empty());
                pipes.get(c.pipeName()).serve(endpoint.get(), plan.limits().get(c.name()), call, executors.tasks());
            }
        }
        clients.values().forEach(client -> executors.execute(client::start));
    }

    /** The health of every server, in name order. */
    List<ServerHealth> health() {
        return servers.all().stream().map(ChannelServer::health).toList();
    }

    /** The {@link io.libchan.cdi.ChannelServers} bean's implementation. */
    ExternalSessions external() {
        return external;
    }

    Sender sender(String channel) {
        return lookup(senders, channel, "Sender");
    }

    Receiver receiver(String channel) {
        ChannelConfig c = plan.channels().get(channel);
        if (c == null || !c.inApp()) {
            throw new IllegalStateException(UserMessages.notInjectable("Receiver", channel));
        }
        return pipes.get(c.pipeName()).receiver(channel);
    }

    Transport transport(String channel) {
        return lookup(transports, channel, "Transport");
    }

    /** Tunnels through the gateway at the other end of the remote channel's session. */
    io.libchan.gateway.GatewayClient gatewayClient(String channel) {
        return io.libchan.gateway.GatewayClient.over(lookup(transports, channel, "GatewayClient"));
    }

    private <T> T lookup(Map<String, T> map, String channel, String kind) {
        T found = map.get(channel);
        if (found == null) {
            throw new IllegalStateException(UserMessages.notInjectable(kind, channel));
        }
        return found;
    }

    /** Graceful shutdown; returns once everything is closed or the drain timeouts passed. Idempotent. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (sessionsDefault != null) {
            io.libchan.internal.observe.Telemetry.stopUsingApplications(sessionsDefault);
        }
        long start = System.nanoTime();
        external.stopAccepting(); // first: no server is added from now on
        servers.all().forEach(ChannelServer::stopAccepting);
        // a tunnel is not drained (it ends when its client or target does): cut them all now, so
        // an open psql does not hold the shutdown up to the drain timeout
        gateway.ifPresent(io.libchan.gateway.Gateway::close);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        Set<String> drainedPipes = new HashSet<>();
        long last = start;
        for (ChannelServer server : servers.all()) {
            long deadline = start + server.config().settings().drainTimeout().toNanos();
            last = Math.max(last, deadline);
            pending.addAll(server.drain(deadline));
        }
        long externalDeadline = start + io.libchan.Settings.defaults().drainTimeout().toNanos();
        last = Math.max(last, externalDeadline);
        pending.addAll(external.drain(externalDeadline));
        for (ChannelConfig c : plan.channels().values()) {
            long deadline = start + c.settings().drainTimeout().toNanos();
            last = Math.max(last, deadline);
            if (c.inApp() && drainedPipes.add(c.pipeName())) {
                InAppChannel pipe = pipes.get(c.pipeName());
                pending.add(inBackground("drain of channel " + c.name(), () -> pipe.close(deadline)));
            } else if (!c.inApp()) {
                ClientSession client = clients.get(c.name());
                pending.add(inBackground("close of channel " + c.name(), () -> client.close(deadline)));
            }
        }
        awaitAll(pending, last + CLOSE_GRACE.toNanos());
        for (EndpointDispatcher endpoint : endpoints.all()) {
            try {
                endpoint.awaitIdle(last);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        executors.close();
        closeMeters();
    }

    /** Last, once the sessions ended: the registry outlives the application, its meters must not. */
    private void closeMeters() {
        AutoCloseable m = meters;
        if (m != null) {
            meters = null;
            try {
                m.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, () -> UserMessages.noMeterRegistry(e), e);
            }
        }
    }

    /** A drain step that may block. */
    private interface Step {
        void run() throws InterruptedException;
    }

    private CompletableFuture<Void> inBackground(String name, Step step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executors.startLoop(name, () -> {
            try {
                step.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> UserMessages.shutdownStepFailed(name, e), e);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    private static void awaitAll(List<CompletableFuture<Void>> pending, long deadline) {
        try {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, () -> UserMessages.shutdownTimedOut());
        }
    }
}
