package io.libchan.it.other;

import io.libchan.cdi.ChannelEndpoint;

/**
 * The one endpoint of the second WAR {@code SecondDeploymentIT} deploys beside the demo (a bean through
 * that WAR's {@code beans.xml}, {@code bean-discovery-mode="all"}).
 */
public class OtherEndpoint {
    /** The endpoint's name, which the demo does not have. */
    public static final String NAME = "other-war";

    @ChannelEndpoint(NAME)
    public String answer() {
        return "from the other WAR";
    }
}
