package io.libchan.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The WebSocket goes below the application's one {@code @ApplicationPath}, however that is written. */
class RestPathsTest {
    @ApplicationPath("api/*")
    static class Api extends Application {
    }

    @ApplicationPath("/")
    static class Root extends Application {
    }

    @ApplicationPath("/v2")
    static class Other extends Application {
    }

    static class Unannotated extends Application {
    }

    @Test
    void pathsAreNormalised() {
        assertEquals("/api", RestPaths.normalize("api/"));
        assertEquals("/api", RestPaths.normalize("/api/*"));
        assertEquals("", RestPaths.normalize("/"));
        assertEquals("/a/b", RestPaths.normalize(" /a/b// "));
    }

    @Test
    void theDefaultWebSocketPathFollowsTheOnlyApplicationPath() {
        assertEquals(Optional.of("/api/libchan/ws"), RestPaths.defaultWebSocketPath(Set.of(Api.class, Unannotated.class)));
        assertEquals(Optional.of("/libchan/ws"), RestPaths.defaultWebSocketPath(Set.of(Root.class)));
    }

    @Test
    void noneOrSeveralApplicationPathsLeaveItToConfiguration() {
        assertEquals(Optional.empty(), RestPaths.defaultWebSocketPath(Set.of(Api.class, Other.class)));
        assertEquals(Optional.empty(), RestPaths.defaultWebSocketPath(Set.of()));
        assertEquals(Optional.empty(), RestPaths.defaultWebSocketPath(null));
    }
}
