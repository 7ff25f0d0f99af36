/**
 * Netlink: the message and attribute codec, a request/response client with sequence numbers,
 * multipart dumps and extended-ack errors, and generic netlink family resolution. Kernel constants
 * are copied one to one, one class per family. The socket comes from the ffm package through {@link
 * io.lvsoperator.agent.host.netlink.NetlinkTransport}; tests fake it at the message level.
 */
package io.lvsoperator.agent.host.netlink;
