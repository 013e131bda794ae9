package io.libchan.load;

import io.libchan.Libchan;
import io.libchan.LibchanException;
import io.libchan.Listener;
import io.libchan.MessageListener;
import io.libchan.Messages;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server in a JVM of its own, for tests that need its memory and threads apart from the test's:
 * an echo (a message's plain fields come back on its {@code ret}) served push-style on a pool of
 * two threads, no thread parked per session or channel. Prints {@code listening URI} first; then
 * answers lines on stdin: {@code stats} prints {@code threads T heap H served N} (heap in bytes
 * after a full GC), {@code quit} exits.
 *
 * <pre>java -Xmx64m -cp ... io.libchan.load.ChildServer tcp://127.0.0.1:0</pre>
 */
public final class ChildServer {
    private static final AtomicLong SERVED = new AtomicLong();
    private static final ExecutorService HANDLERS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "echo-handler");
        t.setDaemon(true);
        return t;
    });

    private ChildServer() {
    }

    public static void main(String[] args) throws Exception {
        Listener listener = Libchan.listen(URI.create(args[0]), Settings.defaults());
        acceptNext(listener);
        warmUp(listener.uri());
        System.out.println("listening " + listener.uri());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("stats")) {
                System.out.println(stats());
                System.out.flush();
            } else if (line.equals("quit")) {
                break;
            }
        }
        listener.close();
        System.exit(0);
    }

    /**
     * One echo through the server before anyone else connects, as a server in service has done:
     * the classes of a session's paths are loaded while file descriptors are there to load them.
     */
    private static void warmUp(URI uri) {
        Transport self = Libchan.connect(uri, Settings.defaults());
        try {
            io.libchan.Pipe reply = io.libchan.Pipe.create();
            self.newSendChannel().send(Map.of("warm", "up", "ret", reply.sender()));
            reply.receiver().receive(Map.class, java.time.Duration.ofSeconds(30));
        } finally {
            self.close();
        }
        SERVED.set(0);
    }

    static String stats() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return "threads " + Thread.activeCount() + " heap " + heap + " served " + SERVED.get();
    }

    private static void acceptNext(Listener listener) {
        listener.acceptAsync().whenComplete((session, error) -> {
            if (error == null) {
                channelsOf(session);
                acceptNext(listener);
            }
        });
    }

    private static void channelsOf(Transport session) {
        session.receiveChannelAsync().whenComplete((channel, error) -> {
            if (error == null) {
                serve(channel);
                channelsOf(session);
            }
        });
    }

    private static void serve(Receiver channel) {
        channel.subscribe(Object.class, HANDLERS, new MessageListener<>() {
            @Override
            public void onMessage(Object message) {
                Sender ret = Messages.replyChannel(message).orElse(null);
                if (ret == null) {
                    return;
                }
                Map<String, Object> reply = new LinkedHashMap<>();
                ((Map<?, ?>) message).forEach((k, v) -> {
                    if (!String.valueOf(k).equalsIgnoreCase(Messages.RET)) {
                        reply.put(String.valueOf(k), v);
                    }
                });
                SERVED.incrementAndGet(); // before the reply: a client that has its reply sees it counted
                try {
                    ret.send(reply);
                    ret.close();
                } catch (LibchanException e) {
                    // the client went away
                }
            }
        });
    }
}
