package io.parley.pages;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.linkbuilder.StandardLinkBuilder;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

/**
 * Renders the Thymeleaf templates shipped in Parley's classes under {@code io/parley/templates/}.
 * Built once; thread-safe. Templates write people's text with {@code th:text} only, so it is
 * always escaped. Their links, {@code @{/chat}}, are relative to where Parley is mounted.
 */
public final class PageRenderer {

    private final JakartaServletWebApplication application;
    private final TemplateEngine engine = new TemplateEngine();

    /** Renders for Parley mounted at {@code mountPath} ({@code ""} for the context's root). */
    public PageRenderer(ServletContext servletContext, String mountPath) {
        application = JakartaServletWebApplication.buildApplication(servletContext);
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(PageRenderer.class.getClassLoader());
        resolver.setPrefix("io/parley/templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
        engine.setLinkBuilder(new StandardLinkBuilder() {
            @Override
            protected String computeContextPath(IExpressionContext context, String base, Map<String, Object> parameters) {
                return super.computeContextPath(context, base, parameters) + mountPath;
            }
        });
    }

    /** Renders {@code template} with these variables as the whole answer, uncached by browsers. */
    public void render(HttpServletRequest request, HttpServletResponse response, String template,
            Map<String, Object> variables) throws IOException {
        render(request, response, template, variables, request.getLocale());
    }

    /** Renders in this language: {@code #{...}} messages come from the template's own bundle. */
    public void render(HttpServletRequest request, HttpServletResponse response, String template,
            Map<String, Object> variables, Locale locale) throws IOException {
        WebContext context = new WebContext(application.buildExchange(request, response), locale, variables);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        engine.process(template, context, response.getWriter());
    }
}
