/**
 * Server-side pages: one Thymeleaf engine, built once at start-up over the templates in
 * {@code /WEB-INF/templates/}, that every page servlet renders through.
 */
package io.parley.pages;
