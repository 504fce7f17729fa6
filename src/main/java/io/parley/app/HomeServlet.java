package io.parley.app;

import io.parley.pages.PageRenderer;
import io.parley.settings.Settings;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** The root page: in demo mode, how to try the emulator; otherwise a short note of what this server is. */
final class HomeServlet extends HttpServlet {

    private final transient Settings settings;
    private final transient PageRenderer pages;

    HomeServlet(Settings settings, PageRenderer pages) {
        this.settings = settings;
        this.pages = pages;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String base = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()
                + request.getContextPath();
        pages.render(request, response, "home", Map.of("demo", settings.demoMode(), "base", base));
    }
}
