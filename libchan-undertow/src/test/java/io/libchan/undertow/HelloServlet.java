package io.libchan.undertow;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The "existing application" of the mounting tests: a plain servlet answering {@code GET} with a
 * line naming the protocol. (Standing in for a JAX-RS resource: a JAX-RS implementation would add
 * nothing to what is tested here, which is sharing one Undertow port.)
 */
public class HelloServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().print("hello over " + req.getProtocol() + "\n");
    }
}
