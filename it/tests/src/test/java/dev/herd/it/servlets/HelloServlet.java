package dev.herd.it.servlets;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.io.InputStream;

/**
 * A plain servlet served with {@code --servlet}: what the supervision tests need to see of a
 * worker (its pid, a request that sleeps, the client as the servlet sees it, a body, a session,
 * a session too large to share).
 */
public class HelloServlet extends HttpServlet {

    /**
     * Every method other than GET and HEAD is answered as POST is (the body read, its size
     * told), as herd's demo app does, so a corpus of raw requests sees the server's verdict
     * rather than HttpServlet's defaults (400 for a PUT over HTTP/1.0, 405 for any PUT).
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws jakarta.servlet.ServletException, IOException {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            super.service(request, response);
        } else {
            doPost(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        switch (path) {
            case "/sleep" -> {
                long millis = Long.parseLong(request.getParameter("ms"));
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    response.setStatus(500);
                    response.getWriter().print("interrupted after less than " + millis + " ms");
                    return;
                }
                response.getWriter().print("slept " + millis);
            }
            case "/client" -> response.getWriter().print(request.getRemoteAddr() + " " + request.getScheme()
                    + " " + request.isSecure());
            case "/session" -> {
                HttpSession session = request.getSession();
                Integer visits = (Integer) session.getAttribute("visits");
                visits = visits == null ? 1 : visits + 1;
                session.setAttribute("visits", visits);
                response.getWriter().print("visits " + visits);
            }
            case "/hello" -> response.getWriter().print("Hello, World!");
            case "/whoami" -> response.getWriter().print("{\"pid\":" + ProcessHandle.current().pid() + "}");
            case "/big" -> {
                // A session attribute of this many KiB: past 1 MiB the session cannot be shared.
                byte[] big = new byte[Integer.parseInt(request.getParameter("kib")) * 1024];
                request.getSession().setAttribute("big", big);
                response.getWriter().print("stored " + big.length);
            }
            case "/thread" -> response.getWriter().print(Thread.currentThread().isVirtual() ? "virtual" : "platform");
            default -> response.getWriter().print(ProcessHandle.current().pid());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long size = 0;
        try (InputStream body = request.getInputStream()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = body.read(buffer)) > 0; ) {
                size += n;
            }
        }
        response.setContentType("text/plain");
        response.getWriter().print("read " + size);
    }
}
