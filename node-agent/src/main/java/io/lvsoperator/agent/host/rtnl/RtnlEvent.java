package io.lvsoperator.agent.host.rtnl;

/** A change the kernel announced on the link or address multicast groups. */
public sealed interface RtnlEvent {

  /** RTM_NEWLINK (state change or new link) or RTM_DELLINK ({@code removed}). */
  record LinkChanged(LinkState link, boolean removed) implements RtnlEvent {}

  /** RTM_NEWADDR or RTM_DELADDR ({@code removed}). */
  record AddressChanged(InterfaceAddress address, boolean removed) implements RtnlEvent {}

  /** The socket overflowed (ENOBUFS): events were lost, re-read the state you track. */
  record Overrun() implements RtnlEvent {}
}
