package io.parley.emulator.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The console's script, style and agent avatars, under {@code /emulator/assets/}. They live in
 * {@code WEB-INF} so that nothing of the emulator is reachable when it is not mounted.
 */
public final class EmulatorAssetServlet extends HttpServlet {

    private static final Map<String, String> ASSETS = Map.of(
            "/console.js", "text/javascript;charset=UTF-8",
            "/console.css", "text/css;charset=UTF-8",
            "/agent-ada.svg", "image/svg+xml",
            "/agent-sam.svg", "image/svg+xml");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String type = path == null ? null : ASSETS.get(path);
        InputStream asset = type == null ? null : getServletContext().getResourceAsStream("/WEB-INF/emulator" + path);
        if (asset == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (asset) {
            response.setContentType(type);
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Content-Type-Options", "nosniff");
            asset.transferTo(response.getOutputStream());
        }
    }
}
