/**
 * The only package that touches {@code java.lang.foreign}: libc downcalls with errno captured on
 * every call and mapped in one place to {@link io.lvsoperator.agent.host.ffm.NativeException},
 * behind small socket classes that take and return byte arrays and records.
 */
package io.lvsoperator.agent.host.ffm;
