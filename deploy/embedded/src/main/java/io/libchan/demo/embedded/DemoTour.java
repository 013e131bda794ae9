package io.libchan.demo.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.libchan.ChannelTimeoutException;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.RemoteErrorException;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.example.client.JobClient;
import io.libchan.example.client.PoolWorker;
import io.libchan.example.client.Work;
import io.libchan.example.hello.Greeting;
import io.libchan.example.hello.HelloRequest;
import io.libchan.example.pool.BoardSnapshot;
import io.libchan.example.pool.PoolEndpoints;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The scripted client of the demo: talks to a running {@link EmbeddedService} the way separate
 * programs would, each on a session of its own, and prints what happened. Any surprise is a
 * {@link DemoFailure} naming the step.
 */
final class DemoTour {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedService service;
    private final PrintStream out;
    private String step = "start";
    private long stepStart = System.nanoTime();

    DemoTour(EmbeddedService service, PrintStream out) {
        this.service = service;
        this.out = out;
    }

    /** A step that did not go as it should. */
    static final class DemoFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    void run() {
        try {
            tour();
        } catch (DemoFailure e) {
            throw e;
        } catch (Exception e) {
            throw new DemoFailure("step '" + step + "': " + e, e);
        }
    }

    @SuppressWarnings("try") // the ws worker leaves (close) before the end of the block, on purpose
    private void tour() throws Exception {
        URI h2c = service.http("h2c");
        URI ws = service.http("ws");
        try (Transport client = Libchan.connect(h2c.toString());
             Transport tcpWorkerSession = Libchan.connect(service.raw().toString());
             Transport wsWorkerSession = Libchan.connect(ws.toString())) {

            step("1. request/reply over HTTP/2 (" + h2c + "), channel 'hello'");
            Pipe ret = Pipe.create();
            Sender hello = client.newSendChannel("hello");
            hello.send(new HelloRequest("h2c", ret.sender()), WAIT);
            hello.close();
            Greeting greeting = ret.receiver().receive(Greeting.class, WAIT);
            expect(greeting.greeting().equals("hello, h2c"), "unexpected greeting " + greeting);
            say("{name: \"h2c\", ret} -> %s", json(greeting));

            step("2. an @Inject'ed Sender (in-app channel libchan.channel.hello.uri=inmem:hello)");
            String fromBean = service.bean(Greeter.class).greet("bean");
            expect(fromBean.equals("hello, bean"), "unexpected greeting " + fromBean);
            say("Greeter.greet(\"bean\") -> \"%s\"", fromBean);

            step("3. two workers join the pool, each sending it a channel to give it jobs on");
            try (BoardWatch board = new BoardWatch(client);
                 PoolWorker tcpWorker = PoolWorker.join(tcpWorkerSession, "tcp-worker", Work.shout());
                 PoolWorker wsWorker = PoolWorker.join(wsWorkerSession, "ws-worker", Work.shout())) {
                say("%s joined over %s", tcpWorker.name(), service.raw());
                say("ws-worker joined over %s", ws);
                BoardSnapshot both = board.until("both workers", s -> s.workers().size() == 2);
                say("the board shows %s", names(both));

                step("4. jobs from a client over HTTP/2, round robin, with progress on a nested channel");
                for (String task : List.of("libchan is like go channels", "over the network", "with nested channels")) {
                    JobClient.Outcome done = JobClient.run(client, task, WAIT);
                    expect(done.result().result().equals(task.toUpperCase(java.util.Locale.ROOT)), "wrong result " + done);
                    say("job %d \"%s\" -> %s: progress %s, result %s", done.result().job(), task, done.result().worker(),
                            done.progress().stream().map(p -> p.percent() + "%").collect(Collectors.joining(" ")),
                            json(done.result().result()));
                }
                try {
                    JobClient.run(client, "boom", WAIT);
                    throw new DemoFailure("the job 'boom' did not fail", null);
                } catch (RemoteErrorException e) {
                    say("job \"boom\" -> error reply from the worker: %s", e.getMessage());
                }

                step("5. tcp-worker's session is cut, as if its process died: the pool drops it at once");
                tcpWorkerSession.abort();
                BoardSnapshot one = board.until("tcp-worker gone", s -> names(s).equals(List.of("ws-worker")));
                say("the board shows %s", names(one));
                JobClient.Outcome after = JobClient.run(client, "still served", WAIT);
                expect(after.result().worker().equals("ws-worker"), "job went to " + after.result().worker());
                say("job %d \"still served\" -> %s, result %s", after.result().job(), after.result().worker(),
                        json(after.result().result()));

                step("6. the HTTP/1.1 fallback, as curl would use it (JDK HttpClient, HTTP/1.1)");
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
                URI base = service.http("http");
                post(http, base, "hello", "{\"name\":\"curl\"}");
                post(http, base, "jobs", "{\"task\":\"over plain http\"}");

                step("7. shutdown, with the client still watching the board");
                wsWorker.close();
                board.until("no worker", s -> s.workers().isEmpty());
                say("ws-worker left the pool; the board shows %s", names(board.last));
                long stopping = System.nanoTime();
                service.close();
                say("service stopped in %.2f s", (System.nanoTime() - stopping) / 1e9);
                board.untilEnd();
                say("the client's board watch ended (end of channel, not an error)");
                client.closeFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                wsWorkerSession.closeFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                say("the client's and ws-worker's sessions were closed by the server, cleanly");
            }
        }
        endStep();
    }

    private void post(HttpClient http, URI base, String endpoint, String body) throws Exception {
        URI uri = URI.create(base + "/call/" + endpoint);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(WAIT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        expect(r.statusCode() == 200 && r.version() == HttpClient.Version.HTTP_1_1,
                "POST " + uri + " answered " + r.version() + " " + r.statusCode() + " " + r.body());
        say("POST %s %s -> %d %s", uri, body, r.statusCode(), r.body().trim());
    }

    private void step(String title) {
        endStep();
        step = title;
        stepStart = System.nanoTime();
        out.println(title);
    }

    private void endStep() {
        if (!step.equals("start")) {
            out.printf("   (%.2f s)%n", (System.nanoTime() - stepStart) / 1e9);
        }
    }

    private void say(String format, Object... args) {
        out.println("   " + String.format(format, args));
    }

    private static void expect(boolean condition, String otherwise) {
        if (!condition) {
            throw new DemoFailure(otherwise, null);
        }
    }

    private static String json(Object value) throws Exception {
        return JSON.writeValueAsString(value);
    }

    private static List<String> names(BoardSnapshot s) {
        return s.workers().stream().map(BoardSnapshot.WorkerView::name).toList();
    }

    /** The pool's board, watched over a session: snapshots after every change. */
    private static final class BoardWatch implements AutoCloseable {
        private final Sender channel;
        private final Pipe snapshots = Pipe.create();
        BoardSnapshot last;

        BoardWatch(Transport session) {
            channel = session.newSendChannel("board");
            channel.send(new PoolEndpoints.Watch(snapshots.sender()), WAIT);
        }

        BoardSnapshot until(String what, Predicate<BoardSnapshot> matching) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (last == null || !matching.test(last)) {
                try {
                    last = snapshots.receiver().receive(BoardSnapshot.class, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (ChannelTimeoutException e) {
                    throw new DemoFailure("the board never showed " + what + " (last: " + last + ")", e);
                }
            }
            return last;
        }

        /** Takes the snapshots still coming until the server ends the watch. */
        void untilEnd() {
            try {
                while (true) {
                    last = snapshots.receiver().receive(BoardSnapshot.class, WAIT);
                }
            } catch (EndOfChannelException end) {
                // the server closed it: done
            }
        }

        @Override
        public void close() {
            snapshots.receiver().close();
            channel.close();
        }
    }

}
