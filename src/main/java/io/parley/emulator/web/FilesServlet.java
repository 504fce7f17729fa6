package io.parley.emulator.web;

import io.parley.emulator.UploadedFiles;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The emulator's file host, as LiveChat's CDN: {@code GET /emulator/files/<id>/<name>} answers
 * a file kept in {@link UploadedFiles}, or 404 once it is forgotten.
 */
final class FilesServlet extends HttpServlet {

    private final transient UploadedFiles files;

    FilesServlet(UploadedFiles files) {
        this.files = files;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String[] parts = path.split("/");
        Optional<UploadedFiles.Stored> file = parts.length >= 2 ? files.get(parts[1]) : Optional.empty();
        if (file.isEmpty()) {
            response.sendError(404);
            return;
        }
        // on Parley's own origin in demo mode: only images inline, and nothing that could run
        boolean image = java.util.Set.of("image/png", "image/jpeg", "image/gif", "image/webp")
                .contains(file.get().contentType());
        response.setContentType(image ? file.get().contentType() : "application/octet-stream");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        response.setHeader("Content-Disposition", image ? "inline" : "attachment");
        response.setContentLength(file.get().bytes().length);
        response.getOutputStream().write(file.get().bytes());
    }
}
