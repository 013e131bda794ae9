package io.libchan.cdi.internal;

import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.System.Logger.Level;

/**
 * Puts libchan's metrics into the application's Micrometer registry when it has one (a
 * {@code MeterRegistry} bean: WildFly's micrometer subsystem), through {@link MicrometerMeters}. That
 * class is only touched once Micrometer's API is found loadable, so an application or a server
 * without Micrometer runs as before, and libchan counts nothing for it.
 */
final class MeterRegistries {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private MeterRegistries() {
    }

    /** libchan's meters in the application's registry until the result is closed; null: no registry. */
    static AutoCloseable attach(BeanManager beanManager) {
        if (!micrometerApi()) {
            return null;
        }
        try {
            return MicrometerMeters.attach(beanManager);
        } catch (RuntimeException | LinkageError e) {
            // a registry bean that cannot be made must not fail the deployment: no meters then
            LOG.log(Level.WARNING, () -> UserMessages.noMeterRegistry(e), e);
            return null;
        }
    }

    private static boolean micrometerApi() {
        try {
            Class.forName(METER_REGISTRY, false, MeterRegistries.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
