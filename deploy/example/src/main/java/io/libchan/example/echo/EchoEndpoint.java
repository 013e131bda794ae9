package io.libchan.example.echo;

import io.libchan.ByteStream;
import io.libchan.EndOfChannelException;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.cdi.ChannelEndpoint;
import io.libchan.example.ExampleThreads;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The echo protocol every libchan peer of this project serves (README, "The CLI"), as an endpoint,
 * so Go libchan and jschan (which cannot name channels) reach it as a server's default endpoint.
 * For each message: the reply on its {@code ret} holds its plain fields; a {@code Receiver} field is
 * read to its end and returned as a list under the same key; a byte stream is echoed byte for byte
 * until its end, then closed; {@code sub: true} adds a channel {@code sub} carrying
 * {@code {i, from: "java"}} three times; any other {@code Sender} field gets
 * {@code {"From": "java", "Field": name}} and is closed. {@code ret} is closed after the reply.
 *
 * <p>Unlike {@code libchan.jar echo}, {@code keep} is not served: it makes later messages of a channel
 * answer on an earlier message's {@code ret}, state per channel that an endpoint method, called once
 * per message, does not have.
 *
 * <p>Byte streams are echoed on threads of {@link ExampleThreads#threadFactory()}, so the reply does not
 * wait for the client to end its stream; when the application stops they are closed (before libchan-cdi drains the
 * sessions), so the client reads their end instead of its session being cut. Thread-safe.
 */
@ApplicationScoped
public class EchoEndpoint {
    /** Most messages read from one nested channel for one reply. */
    static final int MAX_DRAINED = 10_000;
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(EchoEndpoint.class.getName());

    @Inject
    ExampleThreads threads;

    private final Set<ByteStream> echoing = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    @ChannelEndpoint("echo")
    public Map<String, Object> echo(Object message) {
        Map<String, Object> reply = new LinkedHashMap<>();
        if (!(message instanceof Map)) {
            reply.put("value", message);
            return reply;
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) message).entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            if (key.equalsIgnoreCase(Messages.RET) || key.equalsIgnoreCase("sub")) {
                continue;
            }
            if (value instanceof Receiver) {
                reply.put(key, drain((Receiver) value));
            } else if (value instanceof ByteStream) {
                echoLater((ByteStream) value);
            } else if (value instanceof Sender) {
                greet(key, (Sender) value);
            } else {
                reply.put(key, value);
            }
        }
        if (Messages.flag(message, "sub")) {
            Pipe sub = Pipe.buffered(3);
            for (int i = 0; i < 3; i++) {
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("i", i);
                event.put("from", "java");
                sub.sender().send(event);
            }
            sub.sender().close();
            reply.put("sub", sub.receiver());
        }
        return reply;
    }

    private static List<Object> drain(Receiver receiver) {
        List<Object> items = new ArrayList<>();
        try {
            while (true) {
                if (items.size() == MAX_DRAINED) {
                    receiver.close();
                    throw new IllegalArgumentException("more than " + MAX_DRAINED + " messages on one nested channel");
                }
                items.add(receiver.receive(Object.class, DRAIN_WAIT));
            }
        } catch (EndOfChannelException end) {
            return items;
        }
    }

    private static void greet(String field, Sender sender) {
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("From", "java");
        hello.put("Field", field);
        try {
            sender.send(hello);
        } finally {
            sender.close();
        }
    }

    private void echoLater(ByteStream stream) {
        echoing.add(stream);
        if (stopping) {
            stream.close();
            echoing.remove(stream);
            return;
        }
        try {
            // a thread of its own: it is busy for as long as the client keeps the stream open
            threads.threadFactory().newThread(() -> echoBytes(stream)).start();
        } catch (RuntimeException e) {
            stream.close();
            echoing.remove(stream);
        }
    }

    private void echoBytes(ByteStream stream) {
        byte[] buffer = new byte[32 * 1024];
        try (InputStream in = stream.input(); OutputStream out = stream.output()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "byte stream echo ended: " + e.getMessage(), e);
        } finally {
            echoing.remove(stream);
        }
    }

    /** Closes the streams still being echoed, before libchan-cdi drains the sessions (a lower priority runs first). */
    void stop(@Observes(notifyObserver = Reception.IF_EXISTS) @Priority(Interceptor.Priority.APPLICATION)
              @BeforeDestroyed(ApplicationScoped.class) Object event) {
        stopping = true;
        echoing.forEach(ByteStream::close);
    }
}
