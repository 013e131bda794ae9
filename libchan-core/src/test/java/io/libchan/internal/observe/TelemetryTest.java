package io.libchan.internal.observe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Looking for the global OpenTelemetry never fixes it: on an API without {@code getOrNoop} (WildFly
 * 38 gives its deployments 1.48, one copy for the whole server) libchan does not call {@code get()},
 * which would make the global one a no-op for every deployment and fail their later {@code set}.
 */
class TelemetryTest {
    @AfterEach
    void reset() {
        GlobalOpenTelemetry.resetForTest();
    }

    @Test
    void onAnApiWithoutGetOrNoopTheGlobalOneIsLeftForTheApplicationToSet() {
        GlobalOpenTelemetry.resetForTest();
        OpenTelemetry found = Telemetry.globalOrNoop(() -> {
            throw new NoSuchMethodError("io.opentelemetry.api.GlobalOpenTelemetry.getOrNoop()");
        });
        assertSame(OpenTelemetry.noop(), found, "no metrics through a global one it cannot look at");
        assertFalse(GlobalOpenTelemetry.isSet(), "the global OpenTelemetry was fixed by looking");
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().build()) {
            GlobalOpenTelemetry.set(sdk); // an application of the same server installs its own: no IllegalStateException
        }
    }
}
