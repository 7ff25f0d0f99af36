/**
 * The real-server side of LVS-DR: ARP sysctls set before VIPs go on lo/32, restored after, with a
 * state file so a restart after a crash restores the original values.
 */
package io.lvsoperator.agent.host.dr;
