/**
 * The one scheduler port ({@link io.lvsoperator.agent.scheduling.Scheduler}: a monotonic clock, a
 * wall clock, timers) that the VRRP engine and the health monitor take, and its single-thread
 * implementation. Pure: the JDK only.
 */
package io.lvsoperator.agent.scheduling;
