package io.libchan.demo.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The demo's JAX-RS application, under {@code /api}; its resources are found by scanning. */
@ApplicationPath("/api")
public class DemoApplication extends Application {
}
