package io.lvsoperator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A part of one node's desired state: the VIPs, IPVS services and loopback VIPs of some of the
 * VirtualServers on that node, one entry each (design doc §3). Cluster-scoped, named {@code
 * <node>-<n>}, labelled {@code lvsoperator.io/node=<node>}; the operator writes the spec, only that
 * node's agent writes the status. Kept under about 128 KiB each, so a change to one VirtualServer
 * rewrites one small object.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("LvsNodeSlice")
@Singular("lvsnodeslice")
@Plural("lvsnodeslices")
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".spec.node")
@AdditionalPrinterColumn(
    name = "GENERATION",
    jsonPath = ".metadata.generation",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "APPLIED",
    jsonPath = ".status.observedGeneration",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class LvsNodeSlice extends CustomResource<LvsNodeSliceSpec, LvsNodeSliceStatus> {

  /** The label naming the node a slice belongs to. */
  public static final String NODE_LABEL = ApiGroup.GROUP + "/node";

  /**
   * The Secret, in the operator's namespace, that holds the VRRP passwords heads and slices refer
   * to by key: the operator writes it, the agents read it (and nothing else of Secrets).
   */
  public static final String VRRP_AUTH_SECRET = "lvs-vrrp-auth";
}
