/**
 * rtnetlink: VIPs (add/remove with prefix length and label, idempotent), addresses and link state,
 * and link/address event subscription.
 */
package io.lvsoperator.agent.host.rtnl;
