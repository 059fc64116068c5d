package dev.herd.servlet;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The error page of what herd or Jetty refuses before the app (414, 431, 400, 413, 503): the
 * status and its reason only. Jetty's own page repeats the request's target, so a client sending
 * a 64 KiB target got it back, and a page past Jetty's buffer was logged whole, target included,
 * at WARN: a log flood for the price of one bad request. The app's own error pages (web.xml) are
 * untouched.
 */
final class CompactErrors extends ErrorHandler {

    CompactErrors() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected void writeErrorHtmlBody(Request request, Writer writer, int code, String message, Throwable cause)
            throws IOException {
        writer.write("<h2>HTTP ERROR " + code + " " + reason(code) + "</h2>\n");
    }

    @Override
    protected void writeErrorPlain(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write("HTTP ERROR " + code + " " + reason(code) + "\n");
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write("{\"status\":" + code + ",\"message\":\"" + reason(code) + "\"}");
    }

    private static String reason(int code) {
        String reason = HttpStatus.getMessage(code);
        return reason == null ? "" : reason;
    }
}
