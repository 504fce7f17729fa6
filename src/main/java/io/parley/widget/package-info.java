/**
 * What a website's visitors see: the chat page {@code /chat} that the embed script
 * {@code widget.js} opens in an iframe, its languages, and the headers that keep it safe to
 * embed (a strict Content-Security-Policy with {@code frame-ancestors}).
 */
package io.parley.widget;
