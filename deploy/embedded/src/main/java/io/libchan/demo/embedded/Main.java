package io.libchan.demo.embedded;

import io.libchan.Libchan;
import io.libchan.Transport;
import io.libchan.example.client.PoolWorker;
import io.libchan.example.client.Work;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar libchan-demo.jar}: starts the example application on an embedded default
 * ({@link EmbeddedService}), runs a client against it ({@link DemoTour}), stops it, and exits 0 when
 * everything went as it should, 1 otherwise (with the step that failed), 64 on bad usage.
 *
 * <pre>
 *   java -jar libchan-demo.jar                       the demo: start, talk to it, stop
 *   java -jar libchan-demo.jar --serve [--port N] [--raw-port N]
 *                                                    keep serving, with two workers, until Ctrl-C
 *   java -jar libchan-demo.jar worker URI [NAME]     join the pool at URI as a worker until Ctrl-C
 *                                                    (e.g. ws://127.0.0.1:8080/libchan-demo/libchan on WildFly)
 *   -v                                               the application's log at INFO (default: warnings only)
 * </pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean serve = false;
        boolean verbose = false;
        int port = 0;
        int rawPort = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--serve" -> serve = true;
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--raw-port" -> rawPort = Integer.parseInt(args[++i]);
                    case "-v", "--verbose" -> verbose = true;
                    case "worker" -> {
                        quiet(verbose);
                        return worker(args[i + 1], i + 2 < args.length ? args[i + 2] : "worker-" + ProcessHandle.current().pid(), out, err);
                    }
                    case "-h", "--help" -> {
                        usage(out);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            err.println("libchan-demo: " + e.getMessage());
            usage(err);
            return 64;
        }
        quiet(verbose);
        return serve ? serve(port, rawPort, out, err) : demo(port, rawPort, out, err);
    }

    private static int demo(int port, int rawPort, PrintStream out, PrintStream err) {
        long start = System.nanoTime();
        EmbeddedService service;
        try {
            service = EmbeddedService.start(port, rawPort);
        } catch (RuntimeException e) {
            err.println("libchan-demo: FAILED to start the service: " + e);
            return 1;
        }
        out.printf("libchan demo: the example application on Weld SE + SmallRye Config + embedded Undertow (started in %.1f s)%n",
                seconds(start));
        printUrls(service, out);
        boolean ok = false;
        try {
            new DemoTour(service, out).run();
            ok = true;
        } catch (DemoTour.DemoFailure e) {
            err.println("libchan-demo: FAILED: " + e.getMessage());
            if (e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
        } finally {
            service.close(); // the tour stops it in its last step; this is for when it did not get there
        }
        if (ok) {
            out.printf("demo OK (%.1f s)%n", seconds(start));
            return 0;
        }
        return 1;
    }

    private static int serve(int port, int rawPort, PrintStream out, PrintStream err) {
        EmbeddedService service;
        try {
            service = EmbeddedService.start(port, rawPort);
        } catch (RuntimeException e) {
            err.println("libchan-demo: FAILED to start the service: " + e);
            return 1;
        }
        Transport tcp = Libchan.connect(service.raw().toString());
        Transport ws = Libchan.connect(service.http("ws").toString());
        PoolWorker tcpWorker = PoolWorker.join(tcp, "tcp-worker", Work.shout());
        PoolWorker wsWorker = PoolWorker.join(ws, "ws-worker", Work.shout());
        out.println("libchan demo serving (Ctrl-C stops it), with two workers in the pool: tcp-worker and ws-worker");
        printUrls(service, out);
        out.println("  try   curl -H 'Content-Type: application/json' -d '{\"task\":\"from curl\"}' " + service.http("http") + "/call/jobs");
        out.println("        java -jar deploy/embedded/target/libchan-demo.jar worker " + service.http("ws") + " my-worker");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            tcpWorker.close();
            wsWorker.close();
            tcp.close();
            ws.close();
            service.close();
            out.println("libchan demo stopped");
            stopped.countDown();
        }));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Joins the pool at {@code uri}; returns 0 after Ctrl-C, 1 when the pool or the session ends first. */
    private static int worker(String uri, String name, PrintStream out, PrintStream err) {
        Transport session;
        PoolWorker worker;
        try {
            session = Libchan.connect(uri);
            Work shout = Work.shout();
            worker = PoolWorker.join(session, name, (task, progress) -> {
                Object result = shout.run(task, progress);
                out.println(name + ": \"" + task + "\" -> \"" + result + "\"");
                return result;
            });
        } catch (RuntimeException e) {
            err.println("libchan-demo: cannot join the pool at " + uri + ": " + e.getMessage());
            return 1;
        }
        out.println(name + " joined the pool at " + uri + " (workers now: " + worker.workersAtJoin() + "); Ctrl-C leaves");
        Thread leave = new Thread(() -> {
            worker.close();
            session.close();
            out.println(name + " left the pool");
        });
        Runtime.getRuntime().addShutdownHook(leave);
        worker.ended().join();
        try {
            Runtime.getRuntime().removeShutdownHook(leave);
        } catch (IllegalStateException shuttingDown) {
            return 0; // Ctrl-C: the hook says goodbye
        }
        session.close();
        out.println(name + ": the pool ended our jobs channel (it stopped, or dropped us)");
        return 1;
    }

    private static void printUrls(EmbeddedService service, PrintStream out) {
        out.println("  web page            " + service.page());
        out.println("  metrics, health     " + service.observability("metrics") + "   " + service.observability("health"));
        out.println("  HTTP/2 (h2c)        " + service.http("h2c"));
        out.println("  WebSocket           " + service.http("ws"));
        out.println("  HTTP/1.1 fallback   POST " + service.http("http") + "/call/{hello,jobs,board}");
        out.println("  raw SPDY/3 (Go, jschan; unnamed channels get the echo protocol)   " + service.raw());
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar libchan-demo.jar [--serve] [--port N] [--raw-port N] [-v]");
        out.println("       java -jar libchan-demo.jar worker URI [NAME]");
    }

    /** The libraries log at INFO by default; the demo's own output is enough unless -v. */
    private static void quiet(boolean verbose) {
        Logger root = Logger.getLogger("");
        Level level = verbose ? Level.INFO : Level.WARNING;
        root.setLevel(level);
        for (var handler : root.getHandlers()) {
            handler.setLevel(level);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
