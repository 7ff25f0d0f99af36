package io.lvsoperator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Everything one node must do, named after the node. The operator writes the spec (compiled from
 * VirtualServers and RealServers); only that node's agent writes the status.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("LvsNode")
@Singular("lvsnode")
@Plural("lvsnodes")
@AdditionalPrinterColumn(
    name = "GENERATION",
    jsonPath = ".metadata.generation",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "APPLIED",
    jsonPath = ".status.observedGeneration",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "HEARTBEAT", jsonPath = ".status.heartbeat")
@AdditionalPrinterColumn(name = "AGENT", jsonPath = ".status.agentVersion", priority = 1)
@AdditionalPrinterColumn(name = "ERROR", jsonPath = ".status.lastError", priority = 1)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class LvsNode extends CustomResource<LvsNodeSpec, LvsNodeStatus> {}
