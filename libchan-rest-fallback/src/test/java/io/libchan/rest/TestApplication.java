package io.libchan.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/** The application's JAX-RS configuration, as a user writes it: its own resource, and libchan's beside it. */
@ApplicationPath("/api")
public class TestApplication extends Application {
    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(HelloResource.class, LibchanResource.class);
    }
}
