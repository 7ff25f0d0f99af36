package io.lvsoperator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Addresses for {@code type: LoadBalancer} Services (cluster-scoped): the ranges the operator hands
 * out, the director nodes and VRRP settings that carry them, and which namespaces may use them.
 * Each Service that gets an address is served by VirtualServers the operator creates and owns; the
 * Services of one namespace that use this pool share one VrrpInstance, so one VRID.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("AddressPool")
@Singular("addresspool")
@Plural("addresspools")
@ShortNames("lbpool")
@AdditionalPrinterColumn(
    name = "ADDRESSES",
    jsonPath = ".status.addresses",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "ALLOCATED",
    jsonPath = ".status.allocated",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "ACCEPTED",
    jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status")
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AddressPool extends CustomResource<AddressPoolSpec, AddressPoolStatus> {}
