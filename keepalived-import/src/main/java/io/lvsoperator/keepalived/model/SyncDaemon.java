package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Statement;

/**
 * {@code lvs_sync_daemon INTERFACE [[inst] INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group
 * IP]}: the IPVS connection sync daemon, master on the VRRP master of INSTANCE and backup on the
 * other directors.
 *
 * @param instance the vrrp_instance it follows, or null (then both daemons run all the time)
 * @param syncId the sync id, or null for the instance's VRID
 */
public record SyncDaemon(
    String interfaceName,
    String instance,
    Integer syncId,
    Integer maxLength,
    Integer port,
    Integer ttl,
    String group,
    Statement at) {}
