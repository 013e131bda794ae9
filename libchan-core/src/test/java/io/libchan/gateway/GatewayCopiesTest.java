package io.libchan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import io.libchan.contract.TestCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a bulk download through the gateway costs the JVM: heap, and over TLS system calls. The gateway reads each chunk
 * from the target into its I/O thread's direct buffer and the connection writes the DATA frame
 * from there (over TLS, wraps its records straight from there), so no array is made per chunk
 * (nor a copy in the connection's write buffer). Allocation counts, not times, so a busy machine does not change the answer.
 */
@Timeout(120)
class GatewayCopiesTest {
    private static final int MIB = 1024 * 1024;
    private static final int TOTAL_MIB = 64;

    private final Closing closing = new Closing();

    @AfterEach
    void tearDown() throws Exception {
        closing.close();
    }

    @Test
    void aBulkDownloadAllocatesNoArrayPerChunkOnTheGateway() throws Exception {
        Listener listener = Libchan.listen("tcp://127.0.0.1:0");
        double perByte = allocatedPerByteDownloaded(listener, () -> Libchan.connect(listener.uri().toString()));

        // measured 0.008 (the client's and the sessions' small change); 1.01 when each chunk was
        // copied into an array of its own for its frame, 2.0 with a second copy into the write buffer
        assertTrue(perByte < 0.1, "bytes allocated per byte downloaded: " + perByte);
    }

    @Test
    void aBulkDownloadOverTlsWrapsEachChunkStraightFromTheReadBuffer() throws Exception {
        double perByte = overTls().allocatedPerByte();

        // measured 0.20, mostly the JDK's AES-GCM objects made per record (both ends); 1.30 when
        // each 256 KiB frame was first copied into a write buffer made for it, then wrapped from
        // there, and 0.35-0.68 while a read took more records than it could decrypt and kept them aside
        assertTrue(perByte < 0.5, "bytes allocated per byte downloaded over TLS: " + perByte);
    }

    @Test
    void aBulkDownloadOverTlsWritesItsLargeFramesInFewSystemCalls() throws Exception {
        double writes = overTls().writesPerMib();

        // measured 17.7, about half of it the target's own blocking writes (the JDK writes 128 KiB
        // at a time) and the client's window updates; 34 when the gateway's TLS records left in
        // writes of 64 KiB
        assertTrue(writes < 25, "write system calls per MiB downloaded over TLS: " + writes);
    }

    private Costs overTls() throws Exception {
        Listener listener = Libchan.listen(URI.create("tls://127.0.0.1:0"), TestCertificates.server());
        return downloadCosts(listener,
                () -> Libchan.connect(URI.create("tls://localhost:" + listener.uri().getPort()), TestCertificates.client()));
    }

    private double allocatedPerByteDownloaded(Listener listener, Callable<Transport> connect) throws Exception {
        return downloadCosts(listener, connect).allocatedPerByte();
    }

    /** Heap bytes per byte and write system calls per MiB of the whole JVM (gateway, client, target). */
    private record Costs(double allocatedPerByte, double writesPerMib) {
    }

    /** What the JVM (gateway, client and target) spends on a 64 MiB download through {@code listener}. */
    private Costs downloadCosts(Listener listener, Callable<Transport> connect) throws Exception {
        closing.add(listener);
        TcpTarget source = new TcpTarget(s -> {
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[MIB];
            for (int i = 0; i < TOTAL_MIB; i++) {
                out.write(chunk);
            }
            s.shutdownOutput();
            s.getInputStream().transferTo(OutputStream.nullOutputStream());
        });
        closing.add(source);
        Gateway gateway = Gateway.builder().target("source", source.uri()).build();
        closing.add(gateway);
        gateway.serve(listener);
        Transport session = connect.call();
        closing.add(session);

        download(session); // the first tunnel warms up the code paths and the loops' buffers
        long before = allocated();
        long writesBefore = writeSystemCalls();
        download(session);
        long writes = writeSystemCalls() - writesBefore;
        return new Costs((allocated() - before) / (double) (TOTAL_MIB * (long) MIB), writes / (double) TOTAL_MIB);
    }

    /** Write-type system calls of this process so far ({@code syscw} of /proc/self/io, Linux). */
    private static long writeSystemCalls() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/io"))) {
            if (line.startsWith("syscw:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new IllegalStateException("no syscw in /proc/self/io");
    }

    private static void download(Transport session) throws Exception {
        try (ByteStream tunnel = Gateway.connect(session, "source")) {
            tunnel.closeWrite();
            InputStream in = tunnel.input();
            byte[] buf = new byte[256 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
            }
            assertEquals((long) TOTAL_MIB * MIB, total);
        }
    }

    /** Bytes allocated so far by every live thread of this JVM. */
    private static long allocated() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long n : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (n > 0) {
                sum += n;
            }
        }
        return sum;
    }
}
