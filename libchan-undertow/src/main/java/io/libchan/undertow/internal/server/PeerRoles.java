package io.libchan.undertow.internal.server;

import io.libchan.Transport;
import io.undertow.security.api.SecurityContext;
import io.undertow.security.idm.Account;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Carries the roles of a request's authenticated peer to the session it opens
 * ({@link Transport#isPeerInRole}). The check is the container's own: in a servlet deployment the
 * request's {@code HttpServletRequest.isUserInRole} (the servlet adapter attaches it as
 * {@link #REQUEST_CHECK}, so the deployment's role mappings apply), otherwise the roles of Undertow's
 * authenticated {@link Account}. Stateless.
 */
public final class PeerRoles {
    /** The request's role check, attached by a container adapter that knows better than the account. */
    public static final AttachmentKey<RoleCheck> REQUEST_CHECK = AttachmentKey.create(RoleCheck.class);

    private PeerRoles() {
    }

    /** A role check; a named type, as an attachment key needs a class. */
    @FunctionalInterface
    public interface RoleCheck extends Predicate<String> {
    }

    /** The role check of the request's authenticated peer; null when nobody was authenticated. */
    public static RoleCheck of(HttpServerExchange exchange) {
        SecurityContext security = exchange.getSecurityContext();
        Account account = security == null ? null : security.getAuthenticatedAccount();
        if (account == null) {
            return null;
        }
        RoleCheck attached = exchange.getAttachment(REQUEST_CHECK);
        if (attached != null) {
            return attached;
        }
        Set<String> roles = account.getRoles() == null ? Set.of() : Set.copyOf(account.getRoles());
        return roles::contains;
    }

    /** {@code session}, answering {@link Transport#isPeerInRole} with {@code check}; itself when check is null. */
    public static Transport carry(Transport session, RoleCheck check) {
        return check == null ? session : new AuthenticatedTransport(session, check);
    }
}
