package io.libchan.it.certs;

import io.libchan.cdi.ChannelCall;
import io.libchan.cdi.ChannelEndpoint;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.Principal;

/**
 * The one endpoint of the WAR {@code ElytronCertificatesIT} deploys: only for role {@code libchan}
 * (the demo user's group in WildFly's ApplicationRealm), it answers who the caller is.
 */
@ApplicationScoped
public class WhoAmIEndpoint {
    /** The endpoint's name. */
    public static final String NAME = "whoami";

    @Inject
    ChannelCall call;

    @ChannelEndpoint(NAME)
    @RolesAllowed("libchan")
    public String whoAmI() {
        return call.peerPrincipal().map(Principal::getName).orElse("(nobody)");
    }
}
