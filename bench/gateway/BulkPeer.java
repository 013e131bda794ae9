import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The raw bulk figure of bench/run-gateway.sh, run as a source file ({@code java BulkPeer.java}):
 * {@code sink PORT} counts what each connection sends until its FIN and answers the count;
 * {@code send HOST PORT MIB} sends that many MiB, half-closes, waits for the count and prints
 * {@code MiB/s} (the time from connect to the count: every byte reached the sink).
 */
public class BulkPeer {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("sink")) {
            sink(Integer.parseInt(args[1]));
        } else {
            send(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
    }

    private static void sink(int port) throws IOException {
        try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("sink " + server.getLocalPort());
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                Thread t = new Thread(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        byte[] buf = new byte[1 << 18];
                        long total = 0;
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            total += n;
                        }
                        new DataOutputStream(s.getOutputStream()).writeLong(total);
                    } catch (IOException e) {
                        // the sender reports a short count
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void send(String host, int port, int mib) throws IOException {
        byte[] chunk = new byte[1 << 20];
        long start = System.nanoTime();
        try (Socket s = new Socket(host, port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < mib; i++) {
                out.write(chunk);
            }
            s.shutdownOutput();
            long got = new DataInputStream(s.getInputStream()).readLong();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (got != (long) mib << 20) {
                throw new IOException("the sink got " + got + " bytes of " + ((long) mib << 20));
            }
            System.out.printf("%.1f%n", mib / seconds);
        }
    }
}
