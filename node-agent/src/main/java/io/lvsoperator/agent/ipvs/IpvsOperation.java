package io.lvsoperator.agent.ipvs;

/** One change to the kernel table; what the planner produces and the client applies. */
public sealed interface IpvsOperation {

  IpvsServiceKey serviceKey();

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
