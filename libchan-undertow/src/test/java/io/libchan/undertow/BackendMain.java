package io.libchan.undertow;

import java.io.IOException;

/**
 * A libchan backend in its own JVM, for the proxy test (so it can be killed for real): an h2c
 * {@link LibchanServer} on a free port of 127.0.0.1 serving {@link EchoApplication} under the name
 * given as the first argument. Prints {@code READY <port>} once it listens; exits when its
 * standard input ends.
 */
public final class BackendMain {
    private BackendMain() {
    }

    public static void main(String[] args) throws IOException {
        LibchanServer server = LibchanServer.builder().start();
        new EchoApplication(server, args[0]);
        System.out.println("READY " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to go
        }
        System.exit(0);
    }
}
