package io.lvsoperator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A load-balanced virtual service: a VIP moved between director nodes by VRRP and, when it has a
 * port, an IPVS service on it forwarding to real servers. The Kubernetes form of a keepalived
 * {@code vrrp_instance} plus {@code virtual_server}.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("VirtualServer")
@Singular("virtualserver")
@Plural("virtualservers")
@ShortNames("vs")
@AdditionalPrinterColumn(name = "VIP", jsonPath = ".spec.vip")
@AdditionalPrinterColumn(
    name = "PORT",
    jsonPath = ".spec.port",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "PROTO", jsonPath = ".spec.protocol")
@AdditionalPrinterColumn(name = "SCHED", jsonPath = ".spec.scheduler")
@AdditionalPrinterColumn(name = "MASTER", jsonPath = ".status.master")
@AdditionalPrinterColumn(name = "HEALTHY", jsonPath = ".status.healthy")
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class VirtualServer extends CustomResource<VirtualServerSpec, VirtualServerStatus>
    implements Namespaced {}
