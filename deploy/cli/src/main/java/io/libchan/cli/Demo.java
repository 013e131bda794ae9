package io.libchan.cli;

import io.libchan.ByteStream;
import io.libchan.BytePipe;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@code java -jar libchan.jar demo}: an echo service on a loopback TCP port and a client that
 * shows what libchan does: a request with a reply channel, a channel handed to the server, a
 * channel the server creates, and a byte stream.
 */
final class Demo {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Demo() {
    }

    record Request(String cmd, Sender ret) {
    }

    record Upload(String cmd, Receiver items, Sender ret) {
    }

    record Subscribe(boolean sub, Sender ret) {
    }

    record Echo(ByteStream bytes, Sender ret) {
    }

    static int run(PrintStream out) {
        EchoThreads threads = new EchoThreads(2);
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.defaults())) {
            new EchoService(threads.messages(), threads.copies()).serve(listener);
            out.println("echo service listening on " + listener.uri());
            Transport session = Libchan.connect(listener.uri(), Settings.defaults());
            Sender requests = session.newSendChannel();

            Pipe reply = Pipe.create();
            requests.send(new Request("hello", reply.sender()));
            out.println("1. request/reply on a nested reply channel: " + reply.receiver().receive(Map.class, WAIT));

            Pipe items = Pipe.create();
            Pipe counted = Pipe.create();
            requests.send(new Upload("upload", items.receiver(), counted.sender()));
            for (int i = 1; i <= 3; i++) {
                items.sender().send(Map.of("n", i));
            }
            items.sender().close();
            out.println("2. a channel handed to the server, drained by it: " + counted.receiver().receive(Map.class, WAIT));

            Pipe subscribed = Pipe.create();
            requests.send(new Subscribe(true, subscribed.sender()));
            Map<?, ?> answer = subscribed.receiver().receive(Map.class, WAIT);
            Receiver events = (Receiver) answer.get("sub");
            StringBuilder got = new StringBuilder();
            try {
                while (true) {
                    got.append(events.receive(Map.class, WAIT)).append(' ');
                }
            } catch (EndOfChannelException end) {
                out.println("3. events on a channel the server created: " + got.toString().trim());
            }

            BytePipe bytes = BytePipe.create();
            Pipe echoed = Pipe.create();
            requests.send(new Echo(bytes.remote(), echoed.sender()));
            bytes.local().output().write("a byte stream, echoed".getBytes(StandardCharsets.UTF_8));
            bytes.local().closeWrite();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            bytes.local().input().transferTo(back);
            out.println("4. byte stream echoed: \"" + back.toString(StandardCharsets.UTF_8) + "\"");

            requests.close();
            session.close();
            out.println("done");
            return 0;
        } catch (Exception e) {
            out.println("demo failed: " + e);
            return 1;
        } finally {
            threads.close();
        }
    }
}
