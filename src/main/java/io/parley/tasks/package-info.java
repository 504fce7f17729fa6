/**
 * Time and delayed tasks, behind {@link io.parley.tasks.TaskScheduler}: one shared scheduled
 * executor in a running node, a clock that moves only when told in tests.
 */
package io.parley.tasks;
