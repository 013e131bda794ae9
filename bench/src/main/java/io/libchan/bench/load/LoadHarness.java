package io.libchan.bench.load;

import io.libchan.bench.load.Peer.Caller;
import io.libchan.bench.load.Peer.Kind;
import io.libchan.bench.load.Peer.Outcome;
import io.libchan.bench.load.RawConnections.Protocol;
import io.libchan.bench.load.ServerProcess.Snapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The load harness of issue 14 item 6: our server ({@code libchan.jar echo}) and a grpc-java echo
 * server ({@link GrpcEchoServer}), each in its own JVM at {@code -Xmx256m}, one after the other in
 * the same run, under four loads: (a) idle connections, (b) sessions x channels at a steady rate,
 * (c) clients sending a large message at once, (d) slow connections beside one well-behaved client.
 * Prints, per scenario, ours against grpc-java, the ratio, the target and a verdict, and what each
 * server did (out of memory, still answering). A crashed or hung server is a result: every wait
 * has a timeout and every server is killed by its pid at the end of its scenario.
 * See bench/README.md, "Load harness"; run with {@code bench/run-load.sh}.
 */
public final class LoadHarness {
    private static final long T0 = System.nanoTime();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final Config c;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final List<String> report = new ArrayList<>();

    /** What a server did during its scenario. */
    record State(String label, long pid, int oomLines, String firstOom, String statusAtEnd, boolean answeringBefore,
                 boolean answeringAfter, boolean killedByWatchdog, long peakThreads, long peakOwnThreads, long peakRssKib, long peakFds,
                 String log, String error) {
        boolean oom() {
            return oomLines > 0;
        }
    }

    /** One server's run of a scenario: its figures (null if the scenario could not run) and its state. */
    record Run<R>(R result, State state) {
    }

    @FunctionalInterface
    interface Task<R> {
        R run(ServerProcess server, Peer peer) throws Exception;
    }

    private LoadHarness(Config c) {
        this.c = c;
    }

    public static void main(String[] args) throws Exception {
        Config c;
        try {
            c = Config.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("LoadHarness: " + e.getMessage());
            }
            System.err.println(Config.USAGE);
            System.exit(64);
            return;
        }
        new LoadHarness(c).run();
        System.exit(0);
    }

    static void say(String format, Object... args) {
        System.err.printf("[%7.1f s] %s%n", (System.nanoTime() - T0) / 1e9, String.format(format, args));
    }

    private void run() throws IOException {
        String header = String.format("libchan load harness (issue 14 item 6); %s; servers: %s -Xmx%s, %d cores%n"
                        + "ours: %s (%,d bytes, modified %s); grpc-java %s%n"
                        + "logs: %s",
                LocalDateTime.now().withNano(0), javaVersion(), c.xmx, cores,
                c.libchanJar, Files.size(c.libchanJar), Files.getLastModifiedTime(c.libchanJar).toString().replaceAll("\\.\\d+Z$", "Z"),
                io.grpc.internal.GrpcUtil.IMPLEMENTATION_VERSION, c.out);
        report.add(header);
        report.add("");
        report.add(String.format("%-50s %12s %12s %7s  %-30s %-8s %s", "scenario, figure", "ours", "grpc-java", "ratio",
                "target", "verdict", "(grpc-java)"));
        say("%s", header);
        for (String s : c.scenarios) {
            int before = report.size();
            switch (s) {
                case "a": scenarioA(); break;
                case "b": scenarioB(); break;
                case "c": scenarioC(); break;
                case "d": scenarioD(); break;
                default: throw new IllegalStateException(s);
            }
            System.err.println();
            report.subList(before, report.size()).forEach(System.err::println);
            System.err.println();
        }
        String table = String.join("\n", report) + "\n";
        System.out.println();
        System.out.print(table);
        Files.writeString(c.out.resolve("table.txt"), table, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private String javaVersion() {
        try {
            Process p = new ProcessBuilder(c.java.toString(), "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            for (String line : out.split("\n")) {
                if (line.contains("version")) {
                    return line.trim();
                }
            }
        } catch (IOException | InterruptedException e) {
            // fall through
        }
        return c.java.toString();
    }

    // ---------------------------------------------------------------- running one scenario on each server

    private <R> Map<String, Run<R>> each(String scenario, long watchdogSeconds, Task<R> task) {
        Map<String, Run<R>> runs = new LinkedHashMap<>();
        for (String server : c.servers) {
            Peer peer = server.equals("ours") ? new LibchanPeer() : new GrpcPeer();
            say("(%s) %s: starting the server", scenario, peer.label());
            ServerProcess s;
            try {
                s = server.equals("ours") ? ServerProcess.libchan(c, scenario) : ServerProcess.grpc(c, scenario);
            } catch (IOException e) {
                say("(%s) %s: %s", scenario, peer.label(), e.getMessage());
                runs.put(server, new Run<>(null, new State(peer.label(), -1, 0, null, "never started", false, false, false,
                        -1, -1, -1, -1, "", "did not start: " + e.getMessage())));
                continue;
            }
            try (s) {
                s.watchdog(watchdogSeconds);
                say("(%s) %s: pid %d, port %d, log %s", scenario, peer.label(), s.pid(), s.port, s.log);
                boolean before = probe(peer, s.port);
                R result = null;
                String error = null;
                try {
                    result = task.run(s, peer);
                } catch (Exception | OutOfMemoryError e) {
                    error = e.toString();
                    say("(%s) %s: the scenario failed: %s", scenario, peer.label(), e);
                }
                boolean after = s.alive() && probe(peer, s.port);
                State state = new State(peer.label(), s.pid(), s.oomLines(), s.firstOom(), s.status(), before, after,
                        s.killedByWatchdog(), s.peakThreads(), s.peakOwnThreads(), s.peakRssKib(), s.peakFds(), s.log.toString(), error);
                say("(%s) %s: done; %s", scenario, peer.label(), describe(state));
                runs.put(server, new Run<>(result, state));
            }
        }
        return runs;
    }

    /** One 64-byte round trip on a fresh connection, 10 s at most: is the server still serving? */
    private static boolean probe(Peer peer, int port) {
        CompletableFuture<Boolean> ok = new CompletableFuture<>();
        ServerProcess.daemon("probe", () -> {
            try (Caller caller = peer.caller(port)) {
                caller.call(Duration.ofSeconds(10));
                ok.complete(true);
            } catch (Exception | Error e) {
                ok.complete(false);
            }
        });
        try {
            return ok.get(40, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private static InetSocketAddress address(ServerProcess s) {
        return new InetSocketAddress("127.0.0.1", s.port);
    }

    private static Protocol protocol(Peer peer) {
        return peer instanceof LibchanPeer ? Protocol.SPDY : Protocol.HTTP2;
    }

    private static void sleepWhileAlive(ServerProcess s, Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (s.alive() && System.nanoTime() < end) {
            Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    // ---------------------------------------------------------------- (a) idle connections

    /**
     * (a)'s figures. Per connection = (loaded - baseline) / the most connections held at once (= held,
     * unless the server dropped some before the measurement).
     */
    record Idle(int attempted, int held, int peakHeld, int failed, int closedByServer, Snapshot base, Snapshot loaded) {
        double perConnection(long loadedValue, long baseValue) {
            return peakHeld > 0 && loadedValue >= 0 && baseValue >= 0 ? (double) (loadedValue - baseValue) / peakHeld : Double.NaN;
        }
    }

    private void scenarioA() {
        int n = c.connections;
        long limit = c.rampTimeout.toSeconds() + c.settle.toSeconds() + 300;
        Map<String, Run<Idle>> runs = each("a", limit, (s, peer) -> {
            Thread.sleep(1000);
            Snapshot base = s.snapshot();
            say("(a) %s: baseline %s", peer.label(), base);
            try (RawConnections raw = new RawConnections(protocol(peer), address(s), false, 0)) {
                long t = System.nanoTime();
                raw.open(n, t + c.rampTimeout.toNanos(), c.stall.toNanos());
                say("(a) %s: %,d attempted in %.1f s: %,d held, %,d failed to connect, %,d closed by the server",
                        peer.label(), raw.attempts(), (System.nanoTime() - t) / 1e9, raw.held(), raw.failedConnects(),
                        raw.closedByServer());
                sleepWhileAlive(s, c.settle);
                Snapshot loaded = s.snapshot();
                Idle idle = new Idle(raw.attempts(), raw.held(), raw.peakHeld(), raw.failedConnects(), raw.closedByServer(), base, loaded);
                say("(a) %s: loaded %s, %,d held", peer.label(), loaded, idle.held);
                return idle;
            }
        });
        section("(a) " + n + " idle connections (" + idleMeaning() + ")");
        Idle o = result(runs, "ours");
        Idle g = result(runs, "grpc");
        int threadLimit = 2 * cores + 16;
        double oh = o == null ? Double.NaN : o.held;
        double gh = g == null ? Double.NaN : g.held;
        row("(a) connections held", oh, gh, 0, ">= " + n, oh >= n, gh >= n);
        double oHeap = o == null ? Double.NaN : o.perConnection(o.loaded.heapAfterGcKib(), o.base.heapAfterGcKib());
        double gHeap = g == null ? Double.NaN : g.perConnection(g.loaded.heapAfterGcKib(), g.base.heapAfterGcKib());
        row("(a) heap after GC per connection, KiB", oHeap, gHeap, 2, "<= 16 KiB and <= 1.0x grpc",
                oHeap <= 16 && (oHeap <= gHeap || Double.isNaN(gHeap) && !c.servers.contains("grpc")), gHeap <= 16);
        double oRss = o == null ? Double.NaN : o.perConnection(o.loaded.rssKib(), o.base.rssKib());
        double gRss = g == null ? Double.NaN : g.perConnection(g.loaded.rssKib(), g.base.rssKib());
        row("(a) RSS per connection, KiB", oRss, gRss, 2, "<= 64 KiB", oRss <= 64, gRss <= 64);
        double oThreads = peak(runs, "ours");
        double gThreads = peak(runs, "grpc");
        row("(a) threads, peak over the scenario", oThreads, gThreads, 0, "<= 2 x " + cores + " cores + 16 = " + threadLimit,
                oThreads <= threadLimit, gThreads <= threadLimit);
        double oOwn = ownPeak(runs, "ours");
        double gOwn = ownPeak(runs, "grpc");
        row("(a) threads, peak, the server's own (not the JVM's)", oOwn, gOwn, 0, "<= " + threadLimit + " (see below)",
                oOwn <= threadLimit, gOwn <= threadLimit);
        note("    (the server's own: every thread but the JVM's VM, GC, JIT, reference, signal and service threads, which a HotSpot"
                + " JVM on %d cores runs before it serves anything, about 19 of them on 2 cores)", cores);
        double oAdded = o == null || o.loaded.threads() < 0 ? Double.NaN : o.loaded.threads() - o.base.threads();
        double gAdded = g == null || g.loaded.threads() < 0 ? Double.NaN : g.loaded.threads() - g.base.threads();
        row("(a) threads added (loaded - baseline)", oAdded, gAdded, 0, "-", null, null);
        double oFds = o == null ? Double.NaN : o.perConnection(o.loaded.fds(), o.base.fds());
        double gFds = g == null ? Double.NaN : g.perConnection(g.loaded.fds(), g.base.fds());
        row("(a) fds per connection", oFds, gFds, 2, "-", null, null);
        for (Map.Entry<String, Run<Idle>> e : runs.entrySet()) {
            Idle r = e.getValue().result();
            if (r != null) {
                note("    %s: baseline %s; loaded %s; %,d attempted, %,d held at the measurement (at most %,d at once), %,d failed to connect, %,d closed by the server",
                        e.getValue().state().label(), brief(r.base), brief(r.loaded), r.attempted, r.held, r.peakHeld, r.failed, r.closedByServer);
                State st = e.getValue().state();
                if (r.loaded.rssKib() < 0 && r.peakHeld > 0 && r.base.rssKib() >= 0) {
                    // it died before the measurement: what the once-a-second sampler saw is all there is
                    note("    %s: no measurement at the end; sampled peaks over the at most %,d held: RSS %s KiB, %s threads, %s fds per connection",
                            st.label(), r.peakHeld, fmt((double) (st.peakRssKib() - r.base.rssKib()) / r.peakHeld, 1),
                            fmt((double) (st.peakThreads() - r.base.threads()) / r.peakHeld, 2),
                            fmt((double) (st.peakFds() - r.base.fds()) / r.peakHeld, 2));
                }
            }
        }
        states(runs);
    }

    private static String idleMeaning() {
        return "TCP + SPDY SETTINGS / HTTP/2 preface + SETTINGS, no stream, keep-alive PINGs answered";
    }

    private static String brief(Snapshot s) {
        return String.format("heap %s, RSS %s, %d threads, %d fds", kib(s.heapAfterGcKib()), kib(s.rssKib()), s.threads(), s.fds());
    }

    private static String kib(long k) {
        return k < 0 ? "n/a" : String.format("%.1f MiB", k / 1024.0);
    }

    // ---------------------------------------------------------------- (b) sessions x channels at a steady rate

    /**
     * (b)'s figures. {@code due}: the messages whose time came during the run (every channel of the
     * plan, opened or not), whether or not the harness got to send them; {@code sent}: the sends
     * attempted; lost = due - answered.
     */
    record Streams(int sessionsOpen, long due, long sent, long answered, long sendErrors, long streamErrors, Latency latency,
                   Latency sendLag, String firstError) {
        long lost() {
            return due - answered;
        }
    }

    private void scenarioB() {
        long limit = c.rampTimeout.toSeconds() + c.duration.toSeconds() + 360;
        Map<String, Run<Streams>> runs = each("b", limit, this::streams);
        section(String.format("(b) %,d sessions x %d channels, one message per channel every %s for %s (%s)",
                c.sessions, c.channels, human(c.interval), human(c.duration),
                "libchan: a channel with a kept reply channel; gRPC: a bidi stream"));
        Streams o = result(runs, "ours");
        Streams g = result(runs, "grpc");
        double oLost = o == null ? Double.NaN : o.lost();
        double gLost = g == null ? Double.NaN : g.lost();
        row("(b) messages lost", oLost, gLost, 0, "0", oLost == 0, gLost == 0);
        double o99 = o == null ? Double.NaN : millis(o.latency.percentileMicros(99));
        double g99 = g == null ? Double.NaN : millis(g.latency.percentileMicros(99));
        row("(b) p99 send to reply, ms", o99, g99, 2, "<= 10 ms", o99 <= 10, g99 <= 10);
        double o50 = o == null ? Double.NaN : millis(o.latency.percentileMicros(50));
        double g50 = g == null ? Double.NaN : millis(g.latency.percentileMicros(50));
        row("(b) p50 send to reply, ms", o50, g50, 2, "-", null, null);
        note("    (latencies from the messages due after the first %s; lost counts every message)", human(bWarmup()));
        for (Map.Entry<String, Run<Streams>> e : runs.entrySet()) {
            Streams r = e.getValue().result();
            if (r != null) {
                note("    %s: %,d of %,d sessions open; %,d messages due, %,d sent, %,d answered, %,d lost; %,d sends failed, %,d streams failed; max %s ms; the harness's own send lag p99 %s ms%s",
                        e.getValue().state().label(), r.sessionsOpen, c.sessions, r.due, r.sent, r.answered, r.lost(), r.sendErrors,
                        r.streamErrors, fmt(millis(r.latency.maxMicros()), 1), fmt(millis(r.sendLag.percentileMicros(99)), 2),
                        r.firstError == null ? "" : "; first error: " + r.firstError);
            }
        }
        states(runs);
    }

    /** (b)'s latencies leave out the messages due in the first 30 s (the first quarter of a shorter run): JIT warm-up. */
    private Duration bWarmup() {
        return c.duration.dividedBy(4).compareTo(Duration.ofSeconds(30)) < 0 ? c.duration.dividedBy(4) : Duration.ofSeconds(30);
    }

    private Streams streams(ServerProcess s, Peer peer) throws Exception {
        LongAdder answered = new LongAdder();
        LongAdder sendErrors = new LongAdder();
        LongAdder streamErrors = new LongAdder();
        AtomicLong sent = new AtomicLong();
        long due = 0;
        AtomicReference<String> firstError = new AtomicReference<>();
        Latency latency = new Latency();
        Latency sendLag = new Latency();
        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastReply = new AtomicLong(System.nanoTime());
        Peer.Replies replies = new Peer.Replies() {
            @Override
            public void reply(long seq, long sentNanos) {
                if (sentNanos - measureFrom.get() >= 0) {
                    latency.recordNanos(System.nanoTime() - sentNanos);
                }
                answered.increment();
                lastReply.lazySet(System.nanoTime());
            }

            @Override
            public void failed(Throwable error) {
                streamErrors.increment();
                firstError.compareAndSet(null, "stream: " + error);
            }
        };
        Peer.Session[] sessions = new Peer.Session[c.sessions];
        AtomicInteger open = new AtomicInteger();
        long rampStart = System.nanoTime();
        long rampDeadline = rampStart + c.rampTimeout.toNanos();
        ExecutorService opener = Executors.newFixedThreadPool(8);
        for (int i = 0; i < sessions.length; i++) {
            int index = i;
            opener.execute(() -> {
                if (System.nanoTime() > rampDeadline || !s.alive()) {
                    return;
                }
                try {
                    sessions[index] = peer.session(s.port, c.channels, Duration.ofSeconds(30), replies);
                    int k = open.incrementAndGet();
                    if (k % 100 == 0) {
                        say("(b) %s: %,d sessions open", peer.label(), k);
                    }
                } catch (Exception | Error e) {
                    firstError.compareAndSet(null, "session: " + e);
                }
            });
        }
        opener.shutdown();
        if (!opener.awaitTermination(c.rampTimeout.toSeconds() + 60, TimeUnit.SECONDS)) {
            opener.shutdownNow();
        }
        say("(b) %s: %,d of %,d sessions open in %.1f s; server %d threads, peak RSS %s", peer.label(), open.get(), c.sessions,
                (System.nanoTime() - rampStart) / 1e9, s.threads(), kib(s.peakRssKib()));

        long period = c.interval.toNanos();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        measureFrom.set(start + bWarmup().toNanos());
        Random random = new Random(14);
        long end = start + c.duration.toNanos();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(4);
        for (int i = 0; i < sessions.length; i++) {
            Peer.Session session = sessions[i];
            for (int j = 0; j < c.channels; j++) {
                int channel = j;
                long first = start + (long) (random.nextDouble() * period);
                due += (c.duration.toNanos() - (first - start) + period - 1) / period; // times in [first, start + duration)
                scheduler.scheduleAtFixedRate(new Runnable() {
                    private long k;

                    @Override
                    public void run() {
                        long intended = first + k * period; // latency counts from here: a late send is late
                        long seq = k++;
                        if (intended - end >= 0) {
                            return; // past the plan: not due
                        }
                        sent.incrementAndGet();
                        sendLag.recordNanos(System.nanoTime() - intended);
                        if (session == null) {
                            sendErrors.increment();
                            return;
                        }
                        try {
                            session.send(channel, seq, intended);
                        } catch (Exception e) {
                            sendErrors.increment();
                            firstError.compareAndSet(null, "send: " + e);
                        }
                    }
                }, first - System.nanoTime(), period, TimeUnit.NANOSECONDS);
            }
        }
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        lastReply.set(System.nanoTime());
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            if (System.nanoTime() - lastReply.get() > TimeUnit.SECONDS.toNanos(60)) {
                // a dead server: the rest of the plan counts as due and lost all the same
                say("(b) %s: no reply for 60 s, stopping early", peer.label());
                break;
            }
            if (System.nanoTime() > nextReport) {
                nextReport += TimeUnit.SECONDS.toNanos(30);
                say("(b) %s: %,d sent, %,d answered, %,d send errors; server %s, %d threads, peak RSS %s", peer.label(), sent.get(),
                        answered.sum(), sendErrors.sum(), s.alive() ? "alive" : "DEAD", s.threads(), kib(s.peakRssKib()));
            }
        }
        scheduler.shutdownNow();
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
        long graceEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (answered.sum() < sent.get() && System.nanoTime() < graceEnd) {
            Thread.sleep(100);
        }
        Streams result = new Streams(open.get(), due, sent.get(), answered.sum(), sendErrors.sum(), streamErrors.sum(), latency,
                sendLag, firstError.get());
        say("(b) %s: %,d due, %,d sent, %,d answered, p99 %s ms", peer.label(), result.due, result.sent, result.answered,
                fmt(millis(latency.percentileMicros(99)), 2));
        ExecutorService closer = Executors.newFixedThreadPool(8);
        for (Peer.Session session : sessions) {
            if (session != null) {
                closer.execute(session::close);
            }
        }
        closer.shutdown();
        closer.awaitTermination(60, TimeUnit.SECONDS);
        return result;
    }

    // ---------------------------------------------------------------- (c) large messages at once

    private void scenarioC() {
        int size = c.messageMib << 20;
        long limit = c.bigTimeout.toSeconds() + 360;
        Map<String, Run<List<Outcome>>> runs = each("c", limit, (s, peer) -> {
            byte[] body = new byte[size];
            for (int i = 0; i < size; i++) {
                body[i] = (byte) (i * 31 + 7);
            }
            ExecutorService pool = Executors.newFixedThreadPool(c.clients);
            CountDownLatch ready = new CountDownLatch(c.clients);
            CountDownLatch go = new CountDownLatch(1);
            Runnable gate = () -> {
                ready.countDown();
                try {
                    go.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < c.clients; i++) {
                futures.add(pool.submit(() -> peer.big(s.port, body, gate, c.bigTimeout)));
            }
            ready.await(60, TimeUnit.SECONDS);
            say("(c) %s: %d clients connected, sending %d MiB each at once", peer.label(), c.clients - ready.getCount(), c.messageMib);
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                try {
                    outcomes.add(f.get(c.bigTimeout.toSeconds() * 2 + 60, TimeUnit.SECONDS));
                } catch (Exception e) {
                    f.cancel(true);
                    outcomes.add(new Outcome(Kind.TIMEOUT, "the harness gave up: " + e));
                }
            }
            pool.shutdownNow();
            Thread.sleep(2000); // let an OutOfMemoryError's trace reach the log
            say("(c) %s: %s", peer.label(), summary(outcomes));
            return outcomes;
        });
        section(String.format("(c) %d clients x %d MiB message at once (limit 16 MiB on both servers)", c.clients, c.messageMib));
        double oOom = runs.containsKey("ours") ? runs.get("ours").state().oomLines() : Double.NaN;
        double gOom = runs.containsKey("grpc") ? runs.get("grpc").state().oomLines() : Double.NaN;
        row("(c) OutOfMemoryError lines in the server's output", oOom, gOom, 0, "0", oOom == 0, gOom == 0);
        double oOk = typed(result(runs, "ours"));
        double gOk = typed(result(runs, "grpc"));
        row("(c) answered or refused with a typed error", oOk, gOk, 0, "all " + c.clients, oOk == c.clients, gOk == c.clients);
        for (Map.Entry<String, Run<List<Outcome>>> e : runs.entrySet()) {
            if (e.getValue().result() != null) {
                note("    %s: %s", e.getValue().state().label(), summary(e.getValue().result()));
            }
        }
        states(runs);
    }

    private static double typed(List<Outcome> outcomes) {
        return outcomes == null ? Double.NaN
                : outcomes.stream().filter(o -> o.kind() == Kind.ANSWERED || o.kind() == Kind.REFUSED).count();
    }

    private static String summary(List<Outcome> outcomes) {
        Map<Kind, Map<String, Integer>> byKind = new EnumMap<>(Kind.class);
        for (Outcome o : outcomes) {
            byKind.computeIfAbsent(o.kind(), k -> new TreeMap<>()).merge(o.detail(), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        byKind.forEach((kind, details) -> details.forEach((detail, n) ->
                parts.add(n + " " + kind.name().toLowerCase() + (detail.isEmpty() ? "" : " (" + detail + ")"))));
        return String.join(", ", parts);
    }

    // ---------------------------------------------------------------- (d) slow connections

    record Paced(Latency latency, int errors, String firstError) {
    }

    record Slow(Paced unloaded, Paced loaded, int slowOpen, int slowClosedByServer, int slowFailed, long bytesTrickled) {
        double ratio() {
            return millis(loaded.latency.percentileMicros(99)) / millis(unloaded.latency.percentileMicros(99));
        }

        boolean clean() {
            return unloaded.errors == 0 && loaded.errors == 0;
        }
    }

    private void scenarioD() {
        long limit = c.rampTimeout.toSeconds() + c.warmup.toSeconds() + 2 * c.rrDuration.toSeconds() + c.trickle.toSeconds() + 420;
        Map<String, Run<Slow>> runs = each("d", limit, (s, peer) -> {
            try (Caller caller = peer.caller(s.port)) {
                int warm = 0;
                long warmEnd = System.nanoTime() + c.warmup.toNanos();
                for (; System.nanoTime() < warmEnd; warm++) {
                    caller.call(CALL_TIMEOUT);
                }
                say("(d) %s: %,d warm-up round trips; unloaded phase, %s", peer.label(), warm, human(c.rrDuration));
                Paced unloaded = paced(caller);
                say("(d) %s: unloaded p99 %s ms (%d errors); opening %,d slow connections", peer.label(),
                        fmt(millis(unloaded.latency.percentileMicros(99)), 2), unloaded.errors, c.slow);
                try (RawConnections raw = new RawConnections(protocol(peer), address(s), true, c.trickle.toNanos())) {
                    long t = System.nanoTime();
                    raw.open(c.slow, t + c.rampTimeout.toNanos(), c.stall.toNanos());
                    say("(d) %s: %,d slow connections open in %.1f s (%,d failed to connect); loaded phase after %s",
                            peer.label(), raw.open(), (System.nanoTime() - t) / 1e9, raw.failedConnects(), human(c.trickle));
                    sleepWhileAlive(s, c.trickle);
                    Paced loaded = paced(caller);
                    Slow slow = new Slow(unloaded, loaded, raw.open(), raw.closedByServer(), raw.failedConnects(), raw.bytesTrickled());
                    say("(d) %s: loaded p99 %s ms (%d errors), %,d slow connections open, %,d closed by the server",
                            peer.label(), fmt(millis(loaded.latency.percentileMicros(99)), 2), loaded.errors, slow.slowOpen,
                            slow.slowClosedByServer);
                    return slow;
                }
            }
        });
        section(String.format("(d) %,d slow connections (1 byte every %s) beside one client doing request/reply every %s",
                c.slow, human(c.trickle), human(c.rrInterval)));
        Slow o = result(runs, "ours");
        Slow g = result(runs, "grpc");
        double oRatio = o == null ? Double.NaN : o.ratio();
        double gRatio = g == null ? Double.NaN : g.ratio();
        row("(d) p99 loaded / p99 unloaded", oRatio, gRatio, 2, "<= 2.0, no failed call",
                oRatio <= 2 && o.clean(), gRatio <= 2 && g.clean());
        row("(d) p99 unloaded, ms", o == null ? Double.NaN : millis(o.unloaded.latency.percentileMicros(99)),
                g == null ? Double.NaN : millis(g.unloaded.latency.percentileMicros(99)), 2, "-", null, null);
        row("(d) p99 loaded, ms", o == null ? Double.NaN : millis(o.loaded.latency.percentileMicros(99)),
                g == null ? Double.NaN : millis(g.loaded.latency.percentileMicros(99)), 2, "-", null, null);
        for (Map.Entry<String, Run<Slow>> e : runs.entrySet()) {
            Slow r = e.getValue().result();
            if (r != null) {
                note("    %s: unloaded %d calls, p50 %s ms, %d failed; loaded %d calls, p50 %s ms, %d failed%s; slow connections: %,d open at the end, %,d closed by the server (replaced), %,d failed to connect, %,d bytes trickled",
                        e.getValue().state().label(), r.unloaded.latency.count(), fmt(millis(r.unloaded.latency.percentileMicros(50)), 2),
                        r.unloaded.errors, r.loaded.latency.count(), fmt(millis(r.loaded.latency.percentileMicros(50)), 2), r.loaded.errors,
                        r.loaded.firstError == null ? "" : " (" + r.loaded.firstError + ")",
                        r.slowOpen, r.slowClosedByServer, r.slowFailed, r.bytesTrickled);
            }
        }
        states(runs);
    }

    /**
     * Request/reply paced at one call every {@code rrInterval} for {@code rrDuration}; each latency
     * counts from the moment the call was due, so a stall also delays the calls queued behind it.
     */
    private Paced paced(Caller caller) {
        Latency latency = new Latency();
        int errors = 0;
        String firstError = null;
        long step = c.rrInterval.toNanos();
        long start = System.nanoTime();
        long end = start + c.rrDuration.toNanos();
        for (long k = 0; ; k++) {
            long due = start + k * step;
            long now = System.nanoTime();
            if (due >= end || now >= end) {
                break;
            }
            if (now < due) {
                LockSupport.parkNanos(due - now);
            }
            long callStart = System.nanoTime();
            try {
                caller.call(CALL_TIMEOUT);
                latency.recordNanos(System.nanoTime() - due);
            } catch (Exception e) {
                errors++;
                if (firstError == null) {
                    firstError = e + " after " + (System.nanoTime() - callStart) / 1_000_000 + " ms";
                }
            }
        }
        return new Paced(latency, errors, firstError);
    }

    // ---------------------------------------------------------------- the table

    private void section(String title) {
        report.add("");
        report.add(title);
    }

    private void note(String format, Object... args) {
        report.add(String.format(format, args));
    }

    /**
     * One figure: ours, grpc-java's, ours / grpc-java, the target, our verdict, grpc-java's against
     * the same target (null: no target).
     */
    private void row(String figure, double ours, double grpc, int decimals, String target, Boolean met, Boolean grpcMet) {
        String ratio = Double.isFinite(ours) && Double.isFinite(grpc) && grpc != 0 ? fmt(ours / grpc, 2) : "-";
        boolean hasOurs = c.servers.contains("ours");
        boolean hasGrpc = c.servers.contains("grpc");
        report.add(String.format("%-50s %12s %12s %7s  %-30s %-8s %s", figure,
                hasOurs ? fmt(ours, decimals) : "-", hasGrpc ? fmt(grpc, decimals) : "-", ratio, target,
                met == null || !hasOurs ? "-" : met && Double.isFinite(ours) ? "MET" : "MISSED",
                grpcMet == null || !hasGrpc ? "" : grpcMet && Double.isFinite(grpc) ? "(MET)" : "(MISSED)"));
    }

    private <R> void states(Map<String, Run<R>> runs) {
        for (Run<R> run : runs.values()) {
            note("    %s", describe(run.state()));
        }
    }

    private static String describe(State s) {
        return String.format("%s server: pid %d, OOM %s, at the end %s, answering before %s, afterwards %s%s; peak %d threads, RSS %s, %d fds%s; log %s",
                s.label(), s.pid(), s.oom() ? "YES (" + s.oomLines() + " lines: " + s.firstOom() + ")" : "no",
                s.statusAtEnd(), s.answeringBefore() ? "yes" : "NO", s.answeringAfter() ? "yes" : "NO",
                s.killedByWatchdog() ? ", KILLED by the watchdog (overran)" : "",
                s.peakThreads(), kib(s.peakRssKib()), s.peakFds(), s.error() == null ? "" : "; harness: " + s.error(), s.log());
    }

    private static <R> R result(Map<String, Run<R>> runs, String server) {
        Run<R> run = runs.get(server);
        return run == null ? null : run.result();
    }

    /** Peak of the threads that are the server's own, not the JVM's (GC, JIT, VM thread...): {@link ServerProcess#ownThreads()}. */
    private static double ownPeak(Map<String, ? extends Run<?>> runs, String server) {
        Run<?> run = runs.get(server);
        return run == null || run.state().peakOwnThreads() < 0 ? Double.NaN : run.state().peakOwnThreads();
    }

    private static double peak(Map<String, ? extends Run<?>> runs, String server) {
        Run<?> run = runs.get(server);
        return run == null || run.state().peakThreads() < 0 ? Double.NaN : run.state().peakThreads();
    }

    static double millis(long micros) {
        return micros < 0 ? Double.NaN : micros / 1000.0;
    }

    static String fmt(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return String.format("%,." + decimals + "f", v);
    }

    private static String human(Duration d) {
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + " min";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }
}
