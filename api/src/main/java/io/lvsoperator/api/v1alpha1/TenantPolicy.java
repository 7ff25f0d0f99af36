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
 * What the VirtualServers, VrrpInstances and RealServers of some namespaces may use (issue 18.6): a
 * VirtualServer controls host networking on the directors, so cluster operators say which VIP
 * ranges, real-server ranges and director nodes each namespace may use. Cluster-scoped, written by
 * cluster operators (tenants get no access to it). A namespace no TenantPolicy names is not
 * restricted (unless the chart's {@code tenantPolicy.required} is set); one that several name must
 * satisfy each. The operator enforces it when it compiles (the violating object does not run and
 * says why in its status), and the chart's ValidatingAdmissionPolicy refuses at admission what CEL
 * can check. No status: what a policy refuses is reported on the objects it refuses.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("TenantPolicy")
@Singular("tenantpolicy")
@Plural("tenantpolicies")
@ShortNames("ltp")
@AdditionalPrinterColumn(name = "NAMESPACES", jsonPath = ".spec.namespaces")
@AdditionalPrinterColumn(name = "VIPS", jsonPath = ".spec.vipRanges")
@AdditionalPrinterColumn(name = "REAL-SERVERS", jsonPath = ".spec.realServerRanges")
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TenantPolicy extends CustomResource<TenantPolicySpec, Void> {}
