package io.lvsoperator.agent.ipvs;

/** One change to the kernel table; what the planner produces and the client applies. */
public sealed interface IpvsOperation {

  IpvsServiceKey serviceKey();

  /** The generic netlink command and its object, as errors and logs name an operation. */
  default String describe() {
    return switch (this) {
      case AddService a -> "IPVS_CMD_NEW_SERVICE " + a.serviceKey();
      case EditService e -> "IPVS_CMD_SET_SERVICE " + e.serviceKey();
      case DeleteService d -> "IPVS_CMD_DEL_SERVICE " + d.serviceKey();
      case AddDestination a ->
          "IPVS_CMD_NEW_DEST " + a.serviceKey() + " -> " + a.destination().key();
      case EditDestination e ->
          "IPVS_CMD_SET_DEST " + e.serviceKey() + " -> " + e.destination().key();
      case DeleteDestination d ->
          "IPVS_CMD_DEL_DEST " + d.serviceKey() + " -> " + d.destination().key();
    };
  }

  /** ipvsadm -A. */
  record AddService(IpvsService service) implements IpvsOperation {
    public IpvsServiceKey serviceKey() {
      return service.key();
    }
  }

  /** ipvsadm -E: scheduler, flags, persistence changed in place. */
  record EditService(IpvsService service) implements IpvsOperation {
    public IpvsServiceKey serviceKey() {
      return service.key();
    }
  }

  /** ipvsadm -D (its destinations go with it). */
  record DeleteService(IpvsServiceKey serviceKey) implements IpvsOperation {}

  /** ipvsadm -a. */
  record AddDestination(IpvsServiceKey serviceKey, IpvsDestination destination)
      implements IpvsOperation {}

  /** ipvsadm -e: weight, forwarding, thresholds changed in place. */
  record EditDestination(IpvsServiceKey serviceKey, IpvsDestination destination)
      implements IpvsOperation {}

  /** ipvsadm -d. */
  record DeleteDestination(IpvsServiceKey serviceKey, IpvsDestination destination)
      implements IpvsOperation {}
}
