/**
 * Server-side pages and static files, both shipped inside Parley's classes so that the WAR and
 * the jar mounted in another application serve the same: one Thymeleaf engine over the
 * templates in {@code io/parley/templates/}, and the scripts, styles and images of
 * {@code io/parley/web/}.
 */
package io.parley.pages;
