package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Statement;

/**
 * One line of virtual_ipaddress or virtual_ipaddress_excluded.
 *
 * @param prefixLength the /N written, or null (keepalived then uses /32)
 * @param device {@code dev}, or null for the instance's interface
 * @param label {@code label}, or null
 */
public record Vip(
    String address, Integer prefixLength, String device, String label, Statement at) {}
