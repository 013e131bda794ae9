package io.libchan.unix;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The other JVM of {@link FdPassingTest}: serves one session on the unix socket given as its
 * argument. For {@code {file: <fd>, ret}} it reads the file through the received descriptor and
 * replies its text and whether it got a real descriptor; for {@code {socket: <fd>, ret}} it writes
 * a line into the received socket and closes its copy.
 */
public final class FdPeer {
    public static void main(String[] args) throws Exception {
        try (Listener listener = Libchan.listen("unix://" + args[0])) {
            System.out.println("ready");
            System.out.flush();
            Transport session = listener.accept();
            Receiver requests = session.waitReceiveChannel();
            while (true) {
                Map<?, ?> m = requests.receive(Map.class);
                Sender ret = Messages.replyChannel(m).orElseThrow();
                Object file = m.get("file");
                Object socket = m.get("socket");
                if (file != null) {
                    boolean passed = file instanceof FileDescriptor;
                    String text;
                    try (FileInputStream in = new FileInputStream((FileDescriptor) file)) {
                        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                    ret.send(Map.of("text", text, "passed", passed, "pid", ProcessHandle.current().pid()));
                } else if (socket != null) {
                    Socket s = Descriptors.asSocket((FileDescriptor) socket);
                    OutputStream out = s.getOutputStream();
                    out.write(("hello from pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    ret.send(Map.of("wrote", true));
                } else {
                    ret.send(Map.of("got", String.valueOf(m.get("value"))));
                }
                ret.close();
            }
        }
    }
}
