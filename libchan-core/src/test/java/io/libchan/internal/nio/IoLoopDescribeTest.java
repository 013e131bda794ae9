package io.libchan.internal.nio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Settings;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A loop that does not answer in time is reported with its thread's name and where it is, so a
 * stuck loop (a handler blocking the I/O thread) can be found from the error alone.
 */
class IoLoopDescribeTest {

    @Test
    void aBlockedLoopIsDescribedWithTheFrameItIsBlockedIn() throws Exception {
        IoLoop loop = IoLoopGroup.lease(IoLoopGroup.Kind.of(Settings.defaults()));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            loop.execute(() -> {
                entered.countDown();
                awaitQuietly(release);
            });
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the loop ran the task");
            String described = loop.describeThread();
            assertTrue(described.startsWith(loop.name() + " ("), described);
            assertTrue(described.contains("awaitQuietly"), described);
        } finally {
            release.countDown();
            loop.release();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
