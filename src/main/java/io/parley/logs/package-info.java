/**
 * Log lines that whoever is outside cannot flood or stretch: text from browsers, requests and
 * the upstream clipped to a bounded length on one line, and lines about refusals written at most
 * once a minute per reason, with a count.
 */
package io.parley.logs;
