package io.parley.app;

import io.parley.logs.LogText;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error page of the whole application (declared in {@code web.xml}): a short, plain answer
 * that never shows an exception, a stack trace or the request's own text back.
 */
public final class ErrorPageServlet extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorPageServlet.class);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer number ? number : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure instanceof Throwable thrown) {
            LOG.error("Request to {} failed", LogText.clip(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)),
                    thrown);
        }
        String text = status == 404 ? "Not found."
                : status < 500 ? "This request cannot be answered (" + status + ")."
                : "Something went wrong on our side (" + status + "). Please try again.";
        byte[] body = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status
                + "</title></head><body><p>" + text + "</p></body></html>").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
