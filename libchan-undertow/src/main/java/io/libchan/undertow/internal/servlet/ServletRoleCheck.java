package io.libchan.undertow.internal.servlet;

import io.libchan.undertow.internal.server.EndpointRoutes;
import io.libchan.undertow.internal.server.PeerRoles;
import io.undertow.security.api.SecurityContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;
import io.undertow.servlet.handlers.security.ServletSecurityRoleHandler;
import io.undertow.util.StatusCodes;
import jakarta.servlet.DispatcherType;

/**
 * Applies a deployment's role constraints ({@code <auth-constraint>}) to the libchan endpoint, as
 * {@link ServletSecurityRoleHandler} does for servlets. Undertow authenticates before the inner
 * handler chain, where the endpoint sits, but checks roles only when it dispatches to a servlet,
 * which the endpoint never does; without this an authenticated user lacking the role would get in.
 * It also hands the request's {@code isUserInRole} to the session the request opens
 * ({@link PeerRoles#REQUEST_CHECK}), so {@code @RolesAllowed} endpoints see the roles as the
 * deployment maps them.
 */
public final class ServletRoleCheck implements HttpHandler {
    private final HttpHandler next;

    public ServletRoleCheck(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        ServletRequestContext src = exchange.getAttachment(ServletRequestContext.ATTACHMENT_KEY);
        if (src != null && src.getDispatcherType() == DispatcherType.REQUEST && src.getCurrentServlet() != null) {
            SecurityContext security = exchange.getSecurityContext();
            boolean allowed = src.getDeployment().getDeploymentInfo().getAuthorizationManager().canAccessResource(
                    src.getRequiredConstrains(),
                    security == null ? null : security.getAuthenticatedAccount(),
                    src.getCurrentServlet().getManagedServlet().getServletInfo(),
                    src.getOriginalRequest(),
                    src.getDeployment());
            if (!allowed) {
                EndpointRoutes.plain(exchange, StatusCodes.FORBIDDEN, "libchan: forbidden");
                return;
            }
        }
        if (src != null && src.getOriginalRequest() != null) {
            exchange.putAttachment(PeerRoles.REQUEST_CHECK, src.getOriginalRequest()::isUserInRole);
        }
        next.handleRequest(exchange);
    }
}
