package io.libchan.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleWithJitterUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertBetween(backoff.delay(1), 80, 100);
        assertBetween(backoff.delay(2), 160, 200);
        assertBetween(backoff.delay(3), 320, 400);
        assertBetween(backoff.delay(5), 800, 1000);
        assertBetween(backoff.delay(1000), 800, 1000);
    }

    private static void assertBetween(Duration d, long lowMillis, long highMillis) {
        assertTrue(d.toMillis() >= lowMillis && d.toMillis() <= highMillis, d + " not in [" + lowMillis + ", "
                + highMillis + "] ms");
    }
}
