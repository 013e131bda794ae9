package io.libchan.it.jwt;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * Turns MicroProfile JWT on for the WAR {@code JwtTokensIT} deploys, as an application does on
 * WildFly: the {@code microprofile-jwt-smallrye} subsystem then gives it SmallRye JWT, whose
 * {@code JWTParser} libchan-cdi checks the bearer tokens of raw peers with.
 */
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT", realmName = "libchan")
public class JwtApplication extends Application {
}
